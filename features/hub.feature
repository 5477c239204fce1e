@hub
Feature: Token lifecycle over the Hub API
  A user creates permanent tokens, sees them listed, and revokes one at any moment, under
  <Hub>/api/rest/users/{user}/permanenttokens, where <Hub> is what ring.url of /api/config says (the origin's
  /hub with YouTrack's built-in Hub). The secret is shown once, when the token is created. A token is granted
  for services, which scripts find with GET <Hub>/api/rest/services and name by id: YouTrack, and the Hub
  service 0-0-0-0-0 ("YouTrack Administration"). It is refused elsewhere.
  Only the owner or an admin may list, read or revoke a user's tokens. Anyone else gets 403 (the mock's choice:
  user ids and logins are no secret in YouTrack) or 404 (a server that hides whether the user exists).
  A real server caches tokens: a revoked one may still work for a while (~20 s was reported), so the suite
  waits up to the target's revocation grace before it calls the server wrong.

  The tokens these scenarios create are revoked afterwards, whatever happens, so they are safe against a
  real server when its target file allows writes.

  @writes
  Scenario: create a token, use it, see it listed without its secret, revoke it, and it is refused within the grace
    Given the target serves the Hub token API
    And the suite may create and delete data on the target
    When the admin creates a token named "ytconform lifecycle" for "YouTrack, Hub"
    Then the new token has the documented shape
    When a client sends GET "/api/users/me?fields=login,guest" with the new token
    Then the status is 200
    And the field "login" is "{the admin's login}"
    And the field "guest" is false
    When the admin sends GET "/hub/api/rest/users/me/permanenttokens?fields=id,name,token&$top=1000"
    Then the status is 200
    And the list "permanenttokens" holds the new token once, without its secret
    When the admin sends GET "/hub/api/rest/users/me/permanenttokens/{new token id}?fields=id,name,token"
    Then the status is 200
    And the field "id" is "{new token id}"
    And the answer has no field "token"
    When the admin sends DELETE "/hub/api/rest/users/me/permanenttokens/{new token id}"
    Then the status is 200
    And the new token is refused within the revocation grace
    And the status is 401
    And the answer is the YouTrack error "Unauthorized"

  @writes
  Scenario: a token that worked, once revoked, is answered exactly like a token that never existed
    Given the target serves the Hub token API
    And the suite may create and delete data on the target
    When the admin creates a token named "ytconform revoked" for "YouTrack, Hub"
    And a client sends GET "/api/admin/projects?fields=id" with the new token
    Then the status is 200
    When the admin sends DELETE "/hub/api/rest/users/me/permanenttokens/{new token id}"
    Then the status is 200
    And the new token is refused within the revocation grace
    When a client sends GET "/api/admin/projects?fields=id" with the new token
    And a client sends GET "/api/admin/projects?fields=id" with an unknown token
    Then the last two answers are identical

  @writes
  Scenario: another user cannot list my tokens
    Given the target serves the Hub token API
    And the suite may create and delete data on the target
    When the admin creates a token named "ytconform not yours" for "YouTrack"
    And the restricted user sends GET "/hub/api/rest/users/{the admin's login}/permanenttokens"
    Then the status is 403 or 404
    And the answer is a Hub error whose code is the status

  @writes
  Scenario: another user cannot revoke my token
    Given the target serves the Hub token API
    And the suite may create and delete data on the target
    When the admin creates a token named "ytconform not yours" for "YouTrack"
    And the restricted user sends DELETE "/hub/api/rest/users/{the admin's login}/permanenttokens/{new token id}"
    Then the status is 403 or 404
    And the answer is a Hub error whose code is the status
    When a client sends GET "/api/users/me?fields=login" with the new token
    Then the status is 200

  @writes
  Scenario: a token granted only for YouTrack is refused by the Hub API, in the Hub's words
    Given the target serves the Hub token API
    And the suite may create and delete data on the target
    When the admin creates a token named "ytconform youtrack only" for "YouTrack"
    And a client sends GET "/hub/api/rest/users/me/permanenttokens?fields=id" with the new token
    Then the status is 401
    And the answer is the Hub error "invalid_token" with code 401
    When a client sends GET "/api/users/me?fields=login" with the new token
    Then the status is 200

  @writes
  Scenario: a token granted only for Hub is refused by the YouTrack API
    Given the target serves the Hub token API
    And the suite may create and delete data on the target
    When the admin creates a token named "ytconform hub only" for "Hub"
    And a client sends GET "/api/users/me?fields=login" with the new token
    Then the status is 401
    And the answer is the YouTrack error "Unauthorized"
    When a client sends GET "/hub/api/rest/users/me/permanenttokens?fields=id" with the new token
    Then the status is 200

  Scenario Outline: every token of a banned user is refused: <path>
    When the banned user sends GET "<path>"
    Then the status is 401

    Examples:
      | path                                       |
      | /api/users/me                              |
      | /api/admin/projects                        |
      | /hub/api/rest/users/me/permanenttokens     |

  Scenario Outline: without a token the Hub API answers 401, whether guest access is <setting> or not
    Given the target serves the Hub token API
    And guest access is <setting>
    When a guest sends GET "/hub/api/rest/users/me/permanenttokens"
    Then the status is 401

    Examples:
      | setting |
      | allowed |
      | banned  |
