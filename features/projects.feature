@projects
Feature: Listing projects
  GET /api/admin/projects lists the projects the user may read, as a bare JSON array sorted by name.
  The "fields" parameter chooses the properties of each project: without it, each carries only "id" and
  "$type". Paging uses "$skip" and "$top": at most 42 projects come back when "$top" is absent, and
  "$top=-1" returns all of them.

  The target file lists the short names each identity may read; "exactly" below means those and no others.

  Scenario: the admin sees exactly the target's projects
    When the admin sends GET "/api/admin/projects?fields=shortName&$top=-1"
    Then the status is 200
    And the listed short names are exactly the admin's projects

  Scenario: a restricted user sees exactly the projects they may read
    When the restricted user sends GET "/api/admin/projects?fields=shortName&$top=-1"
    Then the status is 200
    And the listed short names are exactly the restricted user's projects

  Scenario: a restricted user sees fewer projects than the admin
    When the admin sends GET "/api/admin/projects?fields=shortName&$top=-1"
    And the restricted user sends GET "/api/admin/projects?fields=shortName&$top=-1"
    Then the answer lists fewer items than the one before

  Scenario: without fields, each project carries only its id and $type
    When the admin sends GET "/api/admin/projects"
    Then the status is 200
    And every listed item has exactly the fields "id, $type"
    And every listed item's "$type" is "Project"

  Scenario: the documented sample: fields=id,name,shortName
    When the admin sends GET "/api/admin/projects?fields=id,name,shortName"
    Then the status is 200
    And every listed item has exactly the fields "id, name, shortName, $type"
    And every listed item's "$type" is "Project"

  Scenario: a nested entity carries its own $type
    When the admin sends GET "/api/admin/projects?fields=shortName,leader(login)"
    Then the status is 200
    And every listed item's "leader.$type" is "User"

  Scenario: unknown field names are dropped
    When the admin sends GET "/api/admin/projects?fields=shortName,noSuchField"
    Then the status is 200
    And every listed item has exactly the fields "shortName, $type"

  Scenario: fields written raw and percent-encoded give the same answer
    When the admin sends GET "/api/admin/projects?fields=id,shortName,leader(login,$type)&$top=-1"
    And the admin sends GET "/api/admin/projects?fields=id%2CshortName%2Cleader%28login%2C%24type%29&%24top=-1"
    Then the status is 200
    And the answer is the same JSON as the one before

  Scenario: $top limits the number of projects
    When the admin sends GET "/api/admin/projects?fields=shortName&$top=1"
    Then the status is 200
    And the answer lists 1 item

  Scenario: $skip leaves out the first projects
    When the admin sends GET "/api/admin/projects?fields=shortName&$top=-1"
    And the admin sends GET "/api/admin/projects?fields=shortName&$skip=1&$top=-1"
    Then the status is 200
    And the answer is the one before without its first item

  Scenario: a $skip past the end gives an empty list
    When the admin sends GET "/api/admin/projects?fields=shortName&$skip=100000"
    Then the status is 200
    And the answer is an empty list

  @writes @exclusive
  Scenario: at most 42 projects come back when $top is absent, all of them with $top=-1
    Given the suite may create and delete data on the target
    And the admin has created 43 projects
    When the admin sends GET "/api/admin/projects?fields=shortName"
    Then the status is 200
    And the answer lists 42 items
    When the admin sends GET "/api/admin/projects?fields=shortName&$top=-1"
    Then the status is 200
    And the listed short names are the admin's projects and the created ones

  Scenario: projects are sorted by name
    When the admin sends GET "/api/admin/projects?fields=name&$top=-1"
    Then the status is 200
    And the listed "name" values are in alphabetical order

  Scenario: the query parameter finds a project by its short name
    When the admin sends GET "/api/admin/projects?fields=shortName&$top=-1&query={a project of the admin}"
    Then the status is 200
    And the listed short names include "{a project of the admin}"

  Scenario: a query that matches nothing gives an empty list
    When the admin sends GET "/api/admin/projects?fields=shortName&query=ytconformNoSuchProject"
    Then the status is 200
    And the answer is an empty list

  Scenario: a project is found by its short name and by its id
    When the admin sends GET "/api/admin/projects/{a project of the admin}?fields=id,shortName"
    Then the status is 200
    And the field "shortName" is "{a project of the admin}"
    And the field "$type" is "Project"
    When the admin sends GET "/api/admin/projects/{the id of the last answer}?fields=id,shortName"
    Then the status is 200
    And the answer is the same JSON as the one before

  Scenario: a project the user may not read is answered like one that does not exist
    When the restricted user sends GET "/api/admin/projects/{a project hidden from the restricted user}"
    Then the status is 404
    And the answer is the YouTrack error "Not Found"
    When the restricted user sends GET "/api/admin/projects/NOSUCHPROJECT"
    Then the status is 404
    And the last two answers are the same error apart from the project they name

  Scenario Outline: a non-integer <parameter> is a 400 YouTrack error
    When the admin sends GET "/api/admin/projects?<parameter>=abc"
    Then the status is 400
    And the answer is a YouTrack error

    Examples:
      | parameter |
      | $top      |
      | $skip     |
