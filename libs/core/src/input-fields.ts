import { applyDecorators } from '@nestjs/common';
import { Field, type FieldOptions } from '@nestjs/graphql';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

/** The bounds every input shares, so a title or a comment is the same size wherever it is typed. */
export const INPUT_LIMITS = {
  /** Titles and names: a task, a milestone, a plan, a draft. */
  title: 200,
  /** Long text: a task's content, a draft's measures. */
  text: 20_000,
  /** What a person writes with an action: a comment, a reason. */
  comment: 2_000,
} as const;

type Options = Omit<FieldOptions, 'nullable'>;

/** A title that must be given: 1–200 characters. */
export const TitleField = (options: Options = {}) =>
  applyDecorators(Field(options), IsString(), Length(1, INPUT_LIMITS.title));

/** A title that may be left out; when given, 1–200 characters. */
export const OptionalTitleField = (options: Options = {}) =>
  applyDecorators(
    Field({ ...options, nullable: true }),
    IsOptional(),
    IsString(),
    Length(1, INPUT_LIMITS.title),
  );

/** Long text that may be left out: up to 20,000 characters. */
export const OptionalTextField = (options: Options = {}) =>
  applyDecorators(
    Field({ ...options, nullable: true }),
    IsOptional(),
    IsString(),
    MaxLength(INPUT_LIMITS.text),
  );

/** A comment that may be empty (defaults to ''): up to 2,000 characters. */
export const CommentField = (options: Omit<Options, 'defaultValue'> = {}) =>
  applyDecorators(Field({ ...options, defaultValue: '' }), IsString(), MaxLength(INPUT_LIMITS.comment));

/** A reason that must be given: 1–2,000 characters. */
export const ReasonField = (options: Options = {}) =>
  applyDecorators(Field(options), IsString(), Length(1, INPUT_LIMITS.comment));

/** A reason asked for only in some cases (the service says when): 1–2,000 characters when given. */
export const OptionalReasonField = (options: Options = {}) =>
  applyDecorators(
    Field({ ...options, nullable: true }),
    IsOptional(),
    IsString(),
    Length(1, INPUT_LIMITS.comment),
  );
