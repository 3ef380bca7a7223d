export * from './board.module';
export * from './board-responses';
export * from './board.service';
export * from './board.types';
export * from './score';
export * from './bulletin.service';
export * from './bulletin.types';
export * from './indicator-board.types';
