@legacy
Feature: The legacy /rest API
  YouTrack up to 2021.2 served GET /rest/admin/project (deprecated in 2018.3, switched off in 2021.3, after
  which every /rest path answers 400 "Deprecated REST API is disabled"). It answers JSON when the client
  accepts application/json and XML otherwise. Each project comes with its url, an absolute URL ending in
  /rest/admin/project/<short name>, written with the server's own configured address (the target's public
  URL, when the target file names it), and an id that is the project's name in the documented JSON sample
  and its short name in the documented XML: the suite accepts either.

  Scenario: the reference exchange of the help page "Log in to YouTrack" (YouTrack 2017.2)
    Given the target serves the legacy API
    And every request carries the header "Accept: application/json"
    And every request carries the header "Accept-Encoding: gzip"
    When the admin sends GET "/rest/admin/project"
    Then the status is 200
    And the header "Cache-Control" is "no-cache, no-store, no-transform, must-revalidate"
    And the header "Content-Encoding" is "gzip"
    And the header "Content-Type" is "application/json;charset=UTF-8"
    And the header "Server" is "YouTrack" when the target is reached directly
    And the header "Vary" is "Accept-Encoding, User-Agent"
    And the header "X-Content-Type-Options" is "nosniff"
    And the header "X-Frame-Options" is "SAMEORIGIN"
    And the header "X-XSS-Protection" is "1; mode=block"
    And the legacy listing holds exactly the admin's projects
    And every legacy project's id is its name or its short name
    And every legacy project's url points at its short name

  Scenario: XML is the default
    Given the target serves the legacy API
    When the admin sends GET "/rest/admin/project"
    Then the status is 200
    And the content type is XML in UTF-8
    And the legacy listing holds exactly the admin's projects
    And every legacy project's id is its name or its short name
    And every legacy project's url points at its short name

  Scenario: a restricted user lists only the projects they may read
    Given the target serves the legacy API
    And every request carries the header "Accept: application/json"
    When the restricted user sends GET "/rest/admin/project"
    Then the status is 200
    And the legacy listing holds exactly the restricted user's projects

  Scenario: without a token the legacy API answers 401, even when guest access is allowed
    Given the target serves the legacy API
    And guest access is allowed
    When a guest sends GET "/rest/admin/project"
    Then the status is 401
    And the answer is a legacy error

  Scenario: with an unknown token the legacy API answers 401
    Given the target serves the legacy API
    When a client sends GET "/rest/admin/project" with an unknown token
    Then the status is 401
    And the answer is a legacy error

  Scenario: a server that switched the legacy API off says so on every /rest path
    Given the target has switched the legacy API off
    When the admin sends GET "/rest/admin/project"
    Then the status is 400
    And the answer is the YouTrack error "Deprecated REST API is disabled"
