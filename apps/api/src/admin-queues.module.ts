import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AuthModule, AuthService, cookieValue, requestToken } from '@zhezi/auth';
import { APP_CONFIG, Role, type AppConfig, type RedisClient } from '@zhezi/core';
import { createRedis, QueueName, queuePrefix } from '@zhezi/jobs';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const COOKIE = 'zhezi_admin_token';
/** The board's page links Google Fonts: on an isolated network that request stalls the page, so it goes. */
const OUTSIDE_FONTS = /<link[^>]+fonts\.googleapis\.com[^>]*>/g;

/**
 * The bearer header, or a browser's: the web app's session cookie, or — for a link followed outside the app —
 * `?token=`, which sets a cookie scoped to the board.
 */
function tokenOf(req: Request): string | null {
  const found = requestToken(req.headers);
  if (found && !found.fromCookie) return found.token;
  if (typeof req.query.token === 'string') return req.query.token;
  return cookieValue(req.headers.cookie, COOKIE) ?? found?.token ?? null;
}

/**
 * Renders the board's page (by the board's own Express app, whose response it is by then) with the system's
 * fonts instead of Google's.
 */
function withoutOutsideFonts(res: Response, next: NextFunction): void {
  res.render = (view: string, options?: object) => {
    const render = (Object.getPrototypeOf(res) as Response).render.bind(res);
    render(view, options ?? {}, (error: Error | null, html?: string) => {
      if (error) next(error);
      else res.send(html?.replace(OUTSIDE_FONTS, ''));
    });
  };
}

/** The Bull Board dashboard at /admin/queues, for admins only. */
@Module({ imports: [AuthModule] })
export class AdminQueuesModule implements OnModuleInit, OnModuleDestroy {
  private readonly redis: RedisClient;
  private readonly queues: Queue[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
    private readonly http: HttpAdapterHost,
  ) {
    this.redis = createRedis(config.redisUrl);
    this.queues = Object.values(QueueName).map(
      (name) => new Queue(name, { connection: this.redis, prefix: queuePrefix(config, name) }),
    );
  }

  /** Mounted on Express directly: the board is an Express router that expects paths relative to its mount. */
  onModuleInit(): void {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
    createBullBoard({ queues: this.queues.map((q) => new BullMQAdapter(q)), serverAdapter });
    const express = this.http.httpAdapter.getInstance<{ use: (...handlers: unknown[]) => void }>();
    express.use(ADMIN_QUEUES_PATH, this.adminOnly.bind(this), serverAdapter.getRouter());
  }

  private async adminOnly(req: Request, res: Response, next: NextFunction): Promise<void> {
    const token = tokenOf(req);
    const actor = token ? await this.auth.actorFromToken(token).catch(() => null) : null;
    if (!actor) {
      res
        .status(401)
        .type('text/plain; charset=utf-8')
        .send('请先登录（Authorization: Bearer <token> 或 ?token=）');
      return;
    }
    if (actor.role !== Role.ADMIN) {
      res.status(403).type('text/plain; charset=utf-8').send('仅管理员可查看任务队列');
      return;
    }
    if (typeof req.query.token === 'string') {
      res.cookie(COOKIE, req.query.token, { httpOnly: true, sameSite: 'strict', path: ADMIN_QUEUES_PATH });
    }
    withoutOutsideFonts(res, next);
    next();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
    await this.redis.quit();
  }
}
