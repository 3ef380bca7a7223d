import { graphql } from './gql';
import type { CreateUserInput, Role, UserAdminUsersQuery } from './gql/graphql';
import { dataOf, outcomeOf } from './support/ops';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';

const LOGIN = graphql(`
  mutation UserAdminLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
      user {
        id
        mustChangePassword
      }
    }
  }
`);
const CREATE_USER = graphql(`
  mutation UserAdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      temporaryPassword
      user {
        id
        username
        role
        mustChangePassword
        active
        phone
      }
    }
  }
`);
const CHANGE_PASSWORD = graphql(`
  mutation UserAdminChangePassword($old: String!, $new: String!) {
    changePassword(input: { oldPassword: $old, newPassword: $new }) {
      token
      user {
        mustChangePassword
      }
    }
  }
`);
const RESET = graphql(`
  mutation UserAdminResetPassword($id: ID!, $p: String) {
    resetUserPassword(id: $id, password: $p) {
      temporaryPassword
    }
  }
`);
const DISABLE = graphql(`
  mutation UserAdminDisable($id: ID!) {
    disableUser(id: $id) {
      id
      active
    }
  }
`);
const ENABLE = graphql(`
  mutation UserAdminEnable($id: ID!) {
    enableUser(id: $id) {
      id
      active
    }
  }
`);
const UNLOCK = graphql(`
  mutation UserAdminUnlock($id: ID!) {
    unlockUser(id: $id) {
      id
    }
  }
`);
const UPDATE = graphql(`
  mutation UserAdminUpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      id
      displayName
      role
      orgUnitId
    }
  }
`);
const USERS = graphql(`
  query UserAdminUsers($filter: UserFilter, $after: String) {
    users(filter: $filter, first: 3, after: $after) {
      totalCount
      edges {
        node {
          username
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);
const MY_ASSIGNMENTS = graphql(`
  query UserAdminMyAssignments {
    myAssignments {
      totalCount
    }
  }
`);
const VIEWER = graphql(`
  query UserAdminViewer {
    viewer {
      username
    }
  }
`);
const VIEWER_AND_ASSIGNMENTS = graphql(`
  query UserAdminViewerAndAssignments {
    viewer {
      id
    }
    myAssignments {
      totalCount
    }
  }
`);
const SIGN_OUT_EVERYWHERE = graphql(`
  mutation UserAdminSignOutEverywhere {
    signOutEverywhere
  }
`);

describe('people administration (e2e over HTTP)', () => {
  let api: TestApi;
  let admin: string;
  const login = (u: string, p: string) => api.gql(LOGIN, { u, p });
  const codeOf = (r: GqlResult<unknown>) => outcomeOf(r);

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.token('admin');
  });

  afterAll(() => api.close());

  it('admin creates a department officer, who must change the password; old tokens stop; disabling stops the next request', async () => {
    const created = dataOf(
      await api.gql(
        CREATE_USER,
        {
          input: {
            username: 'fgw.zhang',
            displayName: '张伟',
            role: 'DEPARTMENT_OFFICER',
            orgUnitId: api.fixture.units.fgw.id,
            phone: '13800138000',
            email: 'zhang@example.gov.cn',
          },
        },
        admin,
      ),
    ).createUser;
    expect(created.user).toMatchObject({ username: 'fgw.zhang', mustChangePassword: true, active: true });
    expect(created.user.phone).toBe('13800138000');
    const temporary = created.temporaryPassword!;
    expect(temporary.length).toBeGreaterThanOrEqual(10);

    // Signed in with the temporary password: everything but changePassword / viewer answers PASSWORD_CHANGE_REQUIRED.
    const first = dataOf(await login('fgw.zhang', temporary)).login;
    expect(first.user.mustChangePassword).toBe(true);
    const blocked = await api.gql(MY_ASSIGNMENTS, {}, first.token);
    expect(codeOf(blocked)).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(blocked.errors![0].message).toContain('修改');
    const viewer = await api.gql(VIEWER, {}, first.token);
    expect(dataOf(viewer).viewer.username).toBe('fgw.zhang');
    // Asking for the viewer first does not let a second root field of the same request through.
    const mixed = await api.gql(VIEWER_AND_ASSIGNMENTS, {}, first.token);
    expect(codeOf(mixed)).toBe('PASSWORD_CHANGE_REQUIRED');

    // The policy holds for the new password: the demo password, the username, a short one.
    for (const weak of ['Zhezi@2026', 'fgw.zhang-2026', 'short']) {
      const refused = await api.gql(CHANGE_PASSWORD, { old: temporary, new: weak }, first.token);
      expect({ weak, code: codeOf(refused), field: refused.errors?.[0].extensions.field }).toEqual({
        weak,
        code: 'BAD_USER_INPUT',
        field: 'newPassword',
      });
    }
    const wrongOld = await api.gql(
      CHANGE_PASSWORD,
      { old: 'not-it-at-all', new: '清河治理-Kp7#2026' },
      first.token,
    );
    expect(wrongOld.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'oldPassword' });

    const changed = dataOf(
      await api.gql(CHANGE_PASSWORD, { old: temporary, new: '清河治理-Kp7#2026' }, first.token),
    ).changePassword;
    expect(changed.user.mustChangePassword).toBe(false);
    // The token from before the change is refused; the new one works.
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, first.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, changed.token))).toBe('ok');
    expect(codeOf(await login('fgw.zhang', temporary))).toBe('UNAUTHENTICATED');
    const second = dataOf(await login('fgw.zhang', '清河治理-Kp7#2026')).login.token;

    // Disabling refuses the very next request with either live token, and sign-in.
    expect(dataOf(await api.gql(DISABLE, { id: created.user.id }, admin))).toEqual({
      disableUser: { id: created.user.id, active: false },
    });
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, second))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, changed.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await login('fgw.zhang', '清河治理-Kp7#2026'))).toBe('UNAUTHENTICATED');
    // Re-enabled: sign-in works again, but the tokens revoked by disabling stay revoked.
    dataOf(await api.gql(ENABLE, { id: created.user.id }, admin));
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, second))).toBe('UNAUTHENTICATED');
    expect(codeOf(await login('fgw.zhang', '清河治理-Kp7#2026'))).toBe('ok');

    const [{ actions }] = await api.dataSource.query<{ actions: string[] }[]>(
      `SELECT array_agg(action ORDER BY id) AS actions FROM audit_event WHERE entity_id = $1`,
      [created.user.id],
    );
    expect(actions).toEqual([
      'user.create',
      'auth.login',
      'auth.password_change',
      'auth.login_failed',
      'auth.login',
      'user.disable',
      'auth.login_failed',
      'user.enable',
      'auth.login',
    ]);
    const snapshots = await api.dataSource.query<{ text: string }[]>(
      `SELECT coalesce(before::text, '') || coalesce(after::text, '') AS text FROM audit_event WHERE entity_id = $1`,
      [created.user.id],
    );
    for (const { text } of snapshots) {
      expect(text).not.toContain(temporary);
      expect(text).not.toContain('Kp7#');
      expect(text).not.toContain('argon2');
    }
  });

  it('signOutEverywhere revokes every token of the user, the current one included', async () => {
    const a = dataOf(await login('swjOfficer', 'Test@2026')).login.token;
    const b = dataOf(await login('swjOfficer', 'Test@2026')).login.token;
    expect(dataOf(await api.gql(SIGN_OUT_EVERYWHERE, {}, a))).toEqual({
      signOutEverywhere: true,
    });
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, a))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, b))).toBe('UNAUTHENTICATED');
    expect(codeOf(await login('swjOfficer', 'Test@2026'))).toBe('ok');
  });

  it('a reset password is temporary: the user must change it, and old tokens stop working', async () => {
    const before = dataOf(await login('xylOfficer', 'Test@2026')).login.token;
    const reset = dataOf(
      await api.gql(RESET, { id: api.fixture.users.xylOfficer.id, p: 'Xueyuan-Rd#88' }, admin),
    ).resetUserPassword;
    expect(reset.temporaryPassword).toBeNull();
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, before))).toBe('UNAUTHENTICATED');
    const after = dataOf(await login('xylOfficer', 'Xueyuan-Rd#88')).login;
    expect(after.user.mustChangePassword).toBe(true);
    expect(codeOf(await api.gql(MY_ASSIGNMENTS, {}, after.token))).toBe('PASSWORD_CHANGE_REQUIRED');
    // The demo password is refused for a real user here too.
    const weak = await api.gql(RESET, { id: api.fixture.users.xylOfficer.id, p: 'Zhezi@2026' }, admin);
    expect(weak.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  });

  it('a unit head manages the officers of the own unit only', async () => {
    const head = await api.token('fgwHead');
    const officer = (unit: 'fgw' | 'swj', username: string, role: Role = 'DEPARTMENT_OFFICER') =>
      api.gql(
        CREATE_USER,
        { input: { username, displayName: username, role, orgUnitId: api.fixture.units[unit].id } },
        head,
      );
    const own = dataOf(await officer('fgw', 'fgw.li')).createUser.user;
    expect(codeOf(await officer('swj', 'swj.li'))).toBe('FORBIDDEN');
    expect(codeOf(await officer('fgw', 'fgw.boss', 'DEPARTMENT_HEAD'))).toBe('FORBIDDEN');
    expect(codeOf(await officer('fgw', 'fgw.admin', 'ADMIN'))).toBe('FORBIDDEN');

    // Own officer: edit, reset, disable. Moving them away or promoting them is not the head's to do.
    expect(dataOf(await api.gql(UPDATE, { input: { id: own.id, displayName: '李娜' } }, head))).toMatchObject(
      {
        updateUser: { displayName: '李娜' },
      },
    );
    const move = { id: own.id, orgUnitId: api.fixture.units.swj.id };
    expect(codeOf(await api.gql(UPDATE, { input: move }, head))).toBe('FORBIDDEN');
    expect(codeOf(await api.gql(UPDATE, { input: { id: own.id, role: 'DEPARTMENT_HEAD' } }, head))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await api.gql(RESET, { id: own.id }, head))).toBe('ok');
    expect(codeOf(await api.gql(DISABLE, { id: own.id }, head))).toBe('ok');
    // Another unit's officer, a head, a leader: refused, and nothing is written.
    for (const user of ['swjOfficer', 'fgwHead', 'leader', 'admin'] as const) {
      const id = api.fixture.users[user].id;
      expect({ user, code: codeOf(await api.gql(DISABLE, { id }, head)) }).toEqual({
        user,
        code: 'FORBIDDEN',
      });
    }
    // The unlock is an admin's.
    const unlock = await api.gql(UNLOCK, { id: own.id }, head);
    expect(codeOf(unlock)).toBe('FORBIDDEN');

    // Its list is its own unit's; another unit's list is refused; contact details show to the head.
    const list = dataOf(await api.gql(USERS, {}, head));
    expect(list.users.totalCount).toBe(4);
    const other = await api.gql(USERS, { filter: { orgUnitId: api.fixture.units.swj.id } }, head);
    expect(codeOf(other)).toBe('FORBIDDEN');
    // An officer manages nobody.
    expect(codeOf(await api.gql(USERS, {}, await api.token('fgwOfficer')))).toBe('FORBIDDEN');
  });

  it('lists users with filters, cursor paged', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const page: UserAdminUsersQuery = dataOf(await api.gql(USERS, { after }, admin));
      total = page.users.totalCount;
      seen.push(...page.users.edges.map((e) => e.node.username));
      after = page.users.pageInfo.hasNextPage ? (page.users.pageInfo.endCursor ?? null) : null;
    } while (after);
    const [{ count }] = await api.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM app_user',
    );
    expect(new Set(seen).size).toBe(count);
    expect(seen).toHaveLength(total);

    const officers = dataOf(
      await api.gql(USERS, { filter: { role: 'SUBDISTRICT_OFFICER', search: '中关村' } }, admin),
    );
    expect(officers.users.edges.map((e) => e.node.username)).toEqual(['zgcOfficer']);
    const disabled = dataOf(await api.gql(USERS, { filter: { disabled: true } }, admin));
    expect(disabled.users.edges.map((e) => e.node.username)).toEqual(['fgw.li']);
  });

  it('checks role against unit, duplicate usernames and weak initial passwords', async () => {
    const input = (over: Partial<CreateUserInput>): { input: CreateUserInput } => ({
      input: {
        username: 'new.person',
        displayName: '新人',
        role: 'SUBDISTRICT_OFFICER',
        orgUnitId: api.fixture.units.zgc.id,
        ...over,
      },
    });
    const wrongKind = await api.gql(CREATE_USER, input({ orgUnitId: api.fixture.units.fgw.id }), admin);
    expect(wrongKind.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
    const weak = await api.gql(CREATE_USER, input({ password: 'Zhezi@2026' }), admin);
    expect(weak.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const taken = await api.gql(CREATE_USER, input({ username: 'zgcOfficer' }), admin);
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'username' });
    const leader = await api.gql(
      CREATE_USER,
      input({
        username: 'dep.mayor',
        role: 'LEADER',
        orgUnitId: api.fixture.units.gov.id,
        title: '常务副区长',
      }),
      admin,
    );
    expect(dataOf(leader).createUser.user.role).toBe('LEADER');
    // Nobody disables themselves (an admin locking the last door).
    const self = await api.gql(DISABLE, { id: api.fixture.users.admin.id }, admin);
    expect(self.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});
