import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CommentField, INPUT_LIMITS, OptionalTextField, ReasonField, TitleField } from './input-fields';

class Sample {
  @TitleField()
  title!: string;

  @OptionalTextField()
  description?: string;

  @CommentField()
  comment!: string;

  @ReasonField()
  reason!: string;
}

const failing = (input: Record<string, unknown>) =>
  validateSync(plainToInstance(Sample, { title: '标题', comment: '', reason: '理由', ...input })).map(
    (e) => e.property,
  );

describe('shared input fields', () => {
  it('accepts values within the shared limits', () => {
    expect(
      failing({ description: 'x'.repeat(INPUT_LIMITS.text), comment: 'x'.repeat(INPUT_LIMITS.comment) }),
    ).toEqual([]);
  });

  it('refuses an empty or overlong title, overlong text and comment, an empty reason', () => {
    expect(failing({ title: '' })).toEqual(['title']);
    expect(failing({ title: 'x'.repeat(INPUT_LIMITS.title + 1) })).toEqual(['title']);
    expect(failing({ description: 'x'.repeat(INPUT_LIMITS.text + 1) })).toEqual(['description']);
    expect(failing({ comment: 'x'.repeat(INPUT_LIMITS.comment + 1) })).toEqual(['comment']);
    expect(failing({ reason: '' })).toEqual(['reason']);
  });
});
