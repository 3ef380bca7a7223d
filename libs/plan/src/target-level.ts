/** 篇 → 章 → 节 → 条 → 措施. Apart from the entity so that reading a document needs no GraphQL or TypeORM. */
export enum TargetLevel {
  /** 篇 / 部分: above the chapters, where a document has them. */
  PART = 'PART',
  CHAPTER = 'CHAPTER',
  SECTION = 'SECTION',
  ITEM = 'ITEM',
  MEASURE = 'MEASURE',
}
