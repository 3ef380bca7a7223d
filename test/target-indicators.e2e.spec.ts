import { graphql } from './gql';
import type { CreateTargetInput } from './gql/graphql';
import { dataOf } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const CREATE_TARGET = graphql(`
  mutation TargetIndicatorsCreateTarget($input: CreateTargetInput!) {
    createTarget(input: $input) {
      id
      indicators {
        name
        targetValue
      }
    }
  }
`);
const TARGET = graphql(`
  query TargetIndicatorsPlanTargets($id: ID!) {
    plan(id: $id) {
      targets {
        id
        indicators {
          name
        }
      }
    }
  }
`);

describe('createTarget (e2e over HTTP)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(() => api.close());

  it('keeps the indicators in the order given', async () => {
    // In neither alphabetical order, whatever the collation.
    const names = ['PM2.5年均浓度', 'R&D经费投入强度', 'GDP年均增速'];
    const input: CreateTargetInput = {
      planId: api.fixture.plan.id,
      parentId: api.fixture.section.id,
      level: 'MEASURE',
      title: '指标顺序',
      indicators: names.map((name, i) => ({ name, targetValue: i + 1, targetYear: 2030 })),
    };
    const leader = await api.token('leader');
    const created = dataOf(await api.gql(CREATE_TARGET, { input }, leader)).createTarget;
    expect(created.indicators).toEqual(names.map((name, i) => ({ name, targetValue: i + 1 })));

    const targets = dataOf(await api.gql(TARGET, { id: api.fixture.plan.id }, leader)).plan.targets;
    expect(targets.find((t) => t.id === created.id)?.indicators.map((i) => i.name)).toEqual(names);
  });
});
