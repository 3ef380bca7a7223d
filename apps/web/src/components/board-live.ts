import { useSubscription } from '@apollo/client/react';
import { graphql } from '../gql';

const BOARD_CHANGED = graphql(`
  subscription BoardChanged($planId: ID) {
    boardChanged(planId: $planId) {
      at
    }
  }
`);

/** Live boards: when the API says a plan's (or any plan's) figures moved, ask again. */
export function useBoardLive(planId: string | undefined, refetch: () => unknown): void {
  useSubscription(BOARD_CHANGED, { variables: { planId }, onData: () => void refetch() });
}
