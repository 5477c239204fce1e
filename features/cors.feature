@cors
Feature: Browsers (CORS)
  YouTrack answers browsers itself for the origins its "Allowed origins" setting lists: a preflight from such
  an origin, and every answer to it, carry exactly one Access-Control-Allow-Origin equal to that origin.
  Another origin gets none. A proxy that adds a second Access-Control-Allow-Origin breaks every browser client.
  The target file names an allowed origin as cors_origin.

  Scenario: a preflight from the allowed origin is answered with that origin, once
    Given the target allows a browser origin
    And every request carries the header "Origin: {the allowed origin}"
    When a browser sends a preflight for GET "/api/users/me"
    Then the status is 200
    And the header "Access-Control-Allow-Origin" is "{the allowed origin}", exactly once

  Scenario: an answer to the allowed origin carries that origin, once
    Given the target allows a browser origin
    And every request carries the header "Origin: {the allowed origin}"
    When the admin sends GET "/api/users/me?fields=login"
    Then the status is 200
    And the header "Access-Control-Allow-Origin" is "{the allowed origin}", exactly once

  Scenario: another origin gets no Access-Control-Allow-Origin
    Given the target allows a browser origin
    And every request carries the header "Origin: {another origin}"
    When the admin sends GET "/api/users/me?fields=login"
    Then the status is 200
    And the answer has no header "Access-Control-Allow-Origin"
