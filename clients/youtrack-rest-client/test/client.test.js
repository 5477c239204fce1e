// The npm client youtrack-rest-client (pinned to 1.6.0) against ytconform mock: what a real third-party
// client sees must be what the contract says. ../run.sh starts the mock and sets these variables:
//   YT_BASE_URL   the mock's base URL
//   YT_TOKEN      root's token (an admin of the default fixtures)
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Youtrack } = require('youtrack-rest-client');

const baseUrl = process.env.YT_BASE_URL;
const token = process.env.YT_TOKEN;
if (!baseUrl || !token) {
  throw new Error('set YT_BASE_URL and YT_TOKEN (clients/run.sh does)');
}
const root = new Youtrack({ baseUrl, token });

test('root lists every project, sorted by name, with the fields the client asks for', async () => {
  const projects = await root.projects.all();
  assert.deepEqual(projects.map((p) => p.shortName), ['FP', 'SP']);
  assert.deepEqual(projects.map((p) => p.name), ['First Project', 'Second Project']);
  for (const p of projects) {
    assert.equal(typeof p.id, 'string', `id of ${p.shortName}`);
    assert.match(p.id, /^0-\d+$/);
    assert.equal(typeof p.archived, 'boolean', `archived of ${p.shortName}`);
    assert.equal(p.$type, 'Project');
  }
});

test('a page with $top=1 and $skip=1 holds the second project only', async () => {
  const page = await root.projects.all({ $top: 1, $skip: 1 });
  assert.deepEqual(page.map((p) => p.shortName), ['SP']);
});

test('the current user is root, not the guest', async () => {
  const me = await root.users.current();
  assert.equal(me.login, 'root');
  assert.equal(me.guest, false);
  assert.equal(me.fullName, 'Root');
  assert.equal(me.$type, 'Me');
});

test('an unknown token is rejected with 401 and YouTrack\'s error body', async () => {
  const stranger = new Youtrack({ baseUrl, token: 'perm:bm9ib2R5.eA==.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
  await assert.rejects(stranger.projects.all(), (err) => {
    assert.ok(err.response, `an HTTP answer, not ${err.message}`);
    assert.equal(err.response.status, 401);
    assert.deepEqual(err.response.data, { error: 'Unauthorized', error_description: '' });
    assert.equal(err.response.headers['www-authenticate'], 'Bearer realm="YouTrack"');
    return true;
  });
});
