/** 章 → 节 → 条 → 措施. Apart from the entity so that reading a document needs no GraphQL or TypeORM. */
export enum TargetLevel {
  CHAPTER = 'CHAPTER',
  SECTION = 'SECTION',
  ITEM = 'ITEM',
  MEASURE = 'MEASURE',
}
