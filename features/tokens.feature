@auth
Feature: Permanent tokens
  A script authenticates to YouTrack with a permanent token, sent as "Authorization: Bearer <token>".
  The token acts for one user and may do only what that user may. A request without the header runs as
  the guest user when guest access is allowed.

  The scenarios never show a token: they name who is asking ("the admin", "the restricted user") or which
  credentials a client sends ("an unknown token"), and the suite takes the tokens from the target file.

  Scenario Outline: a token of the "<shape>" shape is accepted and names its owner
    Given a user whose token has the "<shape>" shape
    When that user sends GET "/api/users/me?fields=login,guest"
    Then the status is 200
    And the field "login" is "{that user's login}"
    And the field "guest" is false
    And the field "$type" is "Me"

    Examples:
      | shape |
      | perm: |
      | perm- |

  Scenario Outline: the scheme name is matched without regard to case: "<scheme>"
    When a client sends GET "/api/users/me?fields=login" with the admin's token after the scheme "<scheme>"
    Then the status is 200
    And the field "login" is "{the admin's login}"

    Examples:
      | scheme |
      | Bearer |
      | bearer |
      | BEARER |

  Scenario: without a token a client is the guest, when guest access is allowed
    Given guest access is allowed
    When a guest sends GET "/api/users/me?fields=login,guest"
    Then the status is 200
    And the field "guest" is true

  Scenario: the guest sees only the projects guest may read
    Given guest access is allowed
    When a guest sends GET "/api/admin/projects?fields=shortName&$top=-1"
    Then the status is 200
    And the listed short names are exactly the guest's projects

  Scenario Outline: without a token a client gets 401 when guest access is banned: <path>
    Given guest access is banned
    When a guest sends GET "<path>"
    Then the status is 401
    And the answer is the YouTrack error "Unauthorized"

    Examples:
      | path                |
      | /api/users/me       |
      | /api/admin/projects |

  Scenario Outline: the server's version needs no token, whether guest access is <setting> or not
    Given guest access is <setting>
    When a guest sends GET "/api/config?fields=version,build"
    Then the status is 200
    And the field "version" is a non-empty string

    Examples:
      | setting |
      | allowed |
      | banned  |

  Scenario Outline: <credentials> gets 401 with a YouTrack error
    When a client sends GET "/api/users/me?fields=login" with <credentials>
    Then the status is 401
    And the answer is the YouTrack error "Unauthorized"

    Examples:
      | credentials                                    |
      | an unknown token                               |
      | the admin's token with an edited login segment |
      | the admin's token truncated by one character   |
      | the admin's token with one character added     |
      | an empty token                                 |
      | the word Bearer alone                          |
      | Basic credentials                              |
      | the admin's token under the Token scheme       |
      | the banned user's token                        |
      | the revoked token                              |

  Scenario: an unknown token and a revoked one get identical answers
    When a client sends GET "/api/admin/projects?fields=id" with an unknown token
    And a client sends GET "/api/admin/projects?fields=id" with the revoked token
    Then the last two answers are identical
