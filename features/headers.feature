@headers
Feature: Response headers
  Every answer of YouTrack, errors included, carries the headers of the documented samples: JSON in
  UTF-8, "X-Content-Type-Options: nosniff", a cache policy that forbids storing, and gzip when the client
  accepts it.

  Scenario Outline: the answer to <request> carries the documented headers
    When <who> sends GET "<path>"
    Then the status is <status>
    And the content type is JSON in UTF-8
    And the header "X-Content-Type-Options" is "nosniff"
    And the header "Cache-Control" includes "no-store"
    And the header "X-Frame-Options" is "SAMEORIGIN"

    Examples:
      | request                    | who                 | path                                       | status |
      | a project listing          | the admin           | /api/admin/projects?fields=id,name         | 200    |
      | the current user           | the restricted user | /api/users/me?fields=login                 | 200    |
      | an unknown project         | the admin           | /api/admin/projects/NOSUCHPROJECT          | 404    |
      | a request of a banned user | the banned user     | /api/users/me                              | 401    |
      | a bad $top                 | the admin           | /api/admin/projects?$top=abc               | 400    |

  Scenario: a client that accepts gzip gets a gzip body with the same JSON
    When the admin sends GET "/api/admin/projects?fields=id,name,shortName&$top=-1"
    Then the body is not compressed
    Given every request carries the header "Accept-Encoding: gzip"
    When the admin sends GET "/api/admin/projects?fields=id,name,shortName&$top=-1"
    Then the status is 200
    And the body is gzip-compressed
    And the content type is JSON in UTF-8
    And the answer is the same JSON as the one before

  Scenario: an error answer is gzip-compressed too when the client accepts it
    Given every request carries the header "Accept-Encoding: gzip"
    When a client sends GET "/api/users/me" with an unknown token
    Then the status is 401
    And the body is gzip-compressed
    And the answer is the YouTrack error "Unauthorized"
