import { DEMO_PASSWORD } from '@zhezi/seed';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';
import { dataOf } from './support/ops';
import { startSeededApi, type SeededApi } from './support/seeded-api';
import type { GqlResult } from './support/test-api';

const LOGIN = graphql(`
  mutation SeedDemoLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);
const PLANS = graphql(`
  query SeedDemoPlans {
    plans(first: 10) {
      edges {
        node {
          id
          title
        }
      }
    }
  }
`);
const BOARD = graphql(`
  query SeedDemoIndicatorBoard($planId: ID!) {
    indicatorBoard(planId: $planId, first: 100) {
      totalCount
      edges {
        node {
          indicator {
            name
          }
          latest {
            year
            value
            note
          }
          onTrack
        }
      }
    }
  }
`);

/** The API over a database holding only the Haidian demo data, as `npm run up` leaves it. */
describe('the seeded demo plan over HTTP', () => {
  let api: SeededApi;
  let url: string;

  beforeAll(async () => {
    api = await startSeededApi();
    url = `${api.base}/graphql`;
  });

  afterAll(() => api?.close());

  async function gql<R, V>(doc: TypedDocumentString<R, V>, variables: V, token?: string) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query: String(doc), variables }),
    });
    return (await response.json()) as GqlResult<R>;
  }

  it('shows the demo plan’s indicators on the indicator board, with reported figures on and off track', async () => {
    const login = dataOf(await gql(LOGIN, { u: 'leader', p: DEMO_PASSWORD })).login;
    const plans = dataOf(await gql(PLANS, {}, login.token)).plans.edges.map((e) => e.node);
    const demo = plans.find((p) => p.title.includes('第十三个五年规划纲要'));
    expect(demo).toBeDefined();

    const board = dataOf(await gql(BOARD, { planId: demo!.id }, login.token)).indicatorBoard;
    expect(board.totalCount).toBeGreaterThan(0);
    const reported = board.edges.map((e) => e.node).filter((row) => row.latest);
    expect(reported.length).toBeGreaterThanOrEqual(5);
    const greenery = reported.find((row) => row.indicator.name === '城市绿化覆盖率');
    expect(greenery?.latest).toMatchObject({ year: 2019, value: 53.2, note: '演示数据' });
    expect(new Set(reported.map((row) => row.onTrack))).toEqual(new Set([true, false]));
  });
});
