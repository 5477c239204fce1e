// The npm client youtrack-client (pinned to 0.7.1, with axios 1.21.1 for its axios transport) against
// ytconform mock. ../run.sh starts the mock and sets these variables:
//   YT_BASE_URL   the mock's base URL
//   YT_TOKEN      root's token (an admin of the default fixtures)
//
// What the client sends (read in node_modules/youtrack-client/dist/index.cjs, and seen on the wire):
//   YouTrack.client(baseUrl, token)               fetch transport: Node's global fetch
//   YouTrack.axiosClient(axios, baseUrl, token)   axios transport: the caller passes axios, a peer dependency
//   Every request: Authorization: Bearer <token>, Content-Type: application/json (on GET and DELETE too),
//   Accept: application/json (fetch) or application/json;charset=utf-8 (axios).
//   `fields` goes out only when given: an array is joined with commas, each name percent-encoded, a nested
//   {leader: ['login']} becomes leader(login); a string goes out as it is. $top and $skip go out as %24top
//   and %24skip, after fields, in the order of the params object.
//     Users.getCurrentUserProfile({fields})       GET    /api/users/me?fields=...
//     Admin.Projects.getProjects({fields,$top,$skip}) GET /api/admin/projects?fields=...&%24top=1&%24skip=1
//     Admin.Projects.getProjectById(id, {fields}) GET    /api/admin/projects/{id or shortName}?fields=...
//     Admin.Projects.createProject(body, {fields}) POST  /api/admin/projects?fields=...  body: JSON of body
//     Admin.Projects.updateProject(id, body, {fields}) POST /api/admin/projects/{id}?fields=...  body: JSON
//     Admin.Projects.deleteProject(id)            DELETE /api/admin/projects/{id}      (no body, no query)
//   Answers: a 2xx answer whose Content-Type starts with application/json is parsed (fetch: response.json(),
//   which throws on an empty body; axios: its own parse, "" for an empty body); fetch returns a Blob for any
//   other 2xx answer. Errors: fetch throws new Error(`Error: ${status} ${statusText}`), the status only in
//   the message and the body never read; axios throws its AxiosError, err.response.{status,data,headers}.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const axios = require('axios');
const { YouTrack } = require('youtrack-client');

const baseUrl = process.env.YT_BASE_URL;
const token = process.env.YT_TOKEN;
if (!baseUrl || !token) {
  throw new Error('set YT_BASE_URL and YT_TOKEN (clients/run.sh does)');
}
const unknownToken = 'perm:bm9ib2R5.eA==.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

const transports = [
  {
    name: 'fetch',
    shortName: 'YCF1',
    connect: (tok) => YouTrack.client(baseUrl, tok),
    // The fetch transport keeps only the status line, in the message.
    status(err) {
      assert.ok(err instanceof Error, `an Error, not ${err}`);
      const m = /^Error: (\d{3}) /.exec(err.message);
      assert.ok(m, `an HTTP status in the message, not ${err.name}: ${err.message}`);
      return Number(m[1]);
    },
    checkUnauthorized(err) {
      assert.equal(err.message, 'Error: 401 Unauthorized');
    },
  },
  {
    name: 'axios',
    shortName: 'YCA1',
    connect: (tok) => YouTrack.axiosClient(axios, baseUrl, tok),
    status(err) {
      assert.ok(err.response, `an HTTP answer, not ${err.name}: ${err.message}`);
      return err.response.status;
    },
    checkUnauthorized(err) {
      assert.deepEqual(err.response.data, { error: 'Unauthorized', error_description: '' });
      assert.equal(err.response.headers['www-authenticate'], 'Bearer realm="YouTrack"');
    },
  },
];

const firstProject = { id: '0-0', name: 'First Project', shortName: 'FP', $type: 'Project' };
const secondProject = { id: '0-1', name: 'Second Project', shortName: 'SP', $type: 'Project' };
const projectFields = ['id', 'name', 'shortName', 'description', { leader: ['id', 'login'] }];

// Deletes a project by short name without the client (whose fetch transport may fail on the answer),
// so that a failed assertion leaves nothing behind. 404: there was nothing to delete.
async function removeProject(shortName) {
  const res = await fetch(`${baseUrl}/api/admin/projects/${shortName}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
  });
  await res.arrayBuffer();
  if (res.status !== 200 && res.status !== 404) {
    throw new Error(`cleanup: DELETE /api/admin/projects/${shortName} answered ${res.status}`);
  }
}

// The same table runs once per transport. ctx.created is the project the create case made, for the
// cases after it.
const cases = [
  ['users/me is root, not the guest', async ({ yt }) => {
    const me = await yt.Users.getCurrentUserProfile({ fields: ['id', 'login', 'guest', 'fullName'] });
    assert.deepEqual(me, { id: '1-1', login: 'root', guest: false, fullName: 'Root', $type: 'Me' });
  }],

  ['root lists FP and SP, in name order', async ({ yt }) => {
    const projects = await yt.Admin.Projects.getProjects({ fields: ['id', 'name', 'shortName', { leader: ['id', 'login'] }] });
    assert.deepEqual(projects, [
      { ...firstProject, leader: { id: '1-1', login: 'root', $type: 'User' } },
      { ...secondProject, leader: { id: '1-2', login: 'jane.roe', $type: 'User' } },
    ]);
  }],

  ['a page with $top=1 and $skip=1 holds SP only', async ({ yt }) => {
    const page = await yt.Admin.Projects.getProjects({ fields: ['id', 'name', 'shortName'], $top: 1, $skip: 1 });
    assert.deepEqual(page, [secondProject]);
  }],

  ['gets a project by id (0-0)', async ({ yt }) => {
    const p = await yt.Admin.Projects.getProjectById('0-0', { fields: ['id', 'name', 'shortName'] });
    assert.deepEqual(p, firstProject);
  }],

  ['gets a project by short name (FP)', async ({ yt }) => {
    const p = await yt.Admin.Projects.getProjectById('FP', { fields: ['id', 'name', 'shortName'] });
    assert.deepEqual(p, firstProject);
  }],

  ['users/me with fields=login,guest holds only those (no id unless asked)', async ({ yt }) => {
    const me = await yt.Users.getCurrentUserProfile({ fields: ['login', 'guest'] });
    assert.deepEqual(me, { login: 'root', guest: false, $type: 'Me' });
  }],

  ['projects with fields=name,shortName,leader(login) hold only those (no id unless asked)', async ({ yt }) => {
    const projects = await yt.Admin.Projects.getProjects({ fields: ['name', 'shortName', { leader: ['login'] }] });
    assert.deepEqual(projects, [
      { name: 'First Project', shortName: 'FP', leader: { login: 'root', $type: 'User' }, $type: 'Project' },
      { name: 'Second Project', shortName: 'SP', leader: { login: 'jane.roe', $type: 'User' }, $type: 'Project' },
    ]);
  }],

  ['creates a project led by root', async (ctx) => {
    const { yt, transport } = ctx;
    const me = await yt.Users.getCurrentUserProfile({ fields: ['id'] });
    const wanted = {
      name: `youtrack-client ${transport.name}`,
      shortName: transport.shortName,
      description: `made through the ${transport.name} transport`,
      leader: { id: '1-1', login: 'root', $type: 'User' },
      $type: 'Project',
    };
    const created = await yt.Admin.Projects.createProject(
      { name: wanted.name, shortName: wanted.shortName, description: wanted.description, leader: { id: me.id } },
      { fields: projectFields },
    );
    ctx.created = created;
    assert.match(created.id, /^0-\d+$/);
    assert.notEqual(created.id, '0-0');
    assert.notEqual(created.id, '0-1');
    assert.deepEqual(created, { id: created.id, ...wanted });
    assert.deepEqual(await yt.Admin.Projects.getProjectById(created.id, { fields: projectFields }), created);
    assert.deepEqual(await yt.Admin.Projects.getProjectById(transport.shortName, { fields: projectFields }), created);
  }],

  ['updates the project\'s name and description (POST /api/admin/projects/{id})', async ({ yt, created, transport }) => {
    assert.ok(created, 'no project to update: the create case failed');
    const wanted = {
      ...created,
      name: `youtrack-client ${transport.name} renamed`,
      description: `updated through the ${transport.name} transport`,
    };
    const updated = await yt.Admin.Projects.updateProject(
      created.id,
      { name: wanted.name, description: wanted.description },
      { fields: projectFields },
    );
    assert.deepEqual(updated, wanted);
    assert.deepEqual(await yt.Admin.Projects.getProjectById(created.id, { fields: projectFields }), wanted);
  }],

  ['deletes the project', async ({ yt, created }) => {
    assert.ok(created, 'no project to delete: the create case failed');
    await yt.Admin.Projects.deleteProject(created.id);
  }],

  ['the deleted project is gone: get by id and by short name answer 404', async ({ yt, created, transport }) => {
    assert.ok(created, 'no project: the create case failed');
    for (const key of [created.id, transport.shortName]) {
      await assert.rejects(yt.Admin.Projects.getProjectById(key, { fields: ['id'] }), (err) => {
        assert.equal(transport.status(err), 404, `GET /api/admin/projects/${key}`);
        return true;
      });
    }
  }],

  ['an unknown token is refused with 401', async ({ transport }) => {
    const stranger = transport.connect(unknownToken);
    await assert.rejects(stranger.Admin.Projects.getProjects({ fields: ['id'] }), (err) => {
      assert.equal(transport.status(err), 401);
      transport.checkUnauthorized(err);
      return true;
    });
  }],
];

for (const transport of transports) {
  describe(`youtrack-client through its ${transport.name} transport`, () => {
    const ctx = { transport, yt: transport.connect(token), created: undefined };
    before(() => removeProject(transport.shortName)); // left over by an earlier run against the same mock
    after(() => removeProject(transport.shortName));
    for (const [name, run] of cases) {
      test(`${transport.name}: ${name}`, () => run(ctx));
    }
  });
}
