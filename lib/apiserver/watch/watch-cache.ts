/**
 * The watch cache, as kube-apiserver has one: every object of every kind, kept current from the
 * one change feed, and a window of recent events. A watch starting at resourceVersion N replays
 * the events after N from the window (410 Expired when N is older than the window), then gets
 * events as they happen; watches asking for initial events get the cached objects first.
 *
 * Objects are read once per change, unscoped, and each event is filtered per watcher: the
 * accounts the watcher's user reaches, its namespace, and its label and field selectors. An object
 * that stops matching a watcher's selector is DELETED for it, one that starts matching ADDED, as
 * kube-apiserver does.
 *
 * What a user reaches is scoped as everywhere else in Sitepod, by the account tree's materialized
 * path: a watcher holds its membership roots (path prefixes, one indexed query on its user's
 * memberships) and an event is visible when its account's path starts with one of them. The cache
 * keeps one map of account ids to paths for all watchers (paths never change): loaded at start,
 * completed when events name an account it has not seen (one query per batch, not per event). So a
 * new account below a watcher's root is visible without reloading anything, and only a change to
 * a user's memberships reloads the roots of that user's watchers.
 */
import { membershipRoots, type RootMembership } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { EMPTY_OBJECT_META, readApiObjectMeta } from "@/lib/services/api-object/api-object-meta";
import { getLatestResourceVersion } from "@/lib/services/change-log/get-latest-resource-version";
import { latestResourceVersions, versionKey } from "@/lib/services/change-log/latest-resource-versions";
import type { FeedRow } from "@/lib/services/change-log/read-change-feed";
import { type Selection, selects, toApiObject } from "../objects";
import type { AnyResource, ObjectRecord } from "../resources/resource";
import type { ApiObject, WatchEventType } from "../types";
import { ChangeFeed } from "./change-feed";

export interface CachedObject {
  record: ObjectRecord;
  object: ApiObject;
}

export interface CacheEvent {
  rv: bigint;
  type: "ADDED" | "MODIFIED" | "DELETED";
  resource: AnyResource;
  accountId: string;
  /** The account's materialized path; null when the cache does not know it (shown to nobody). */
  accountPath: string | null;
  object: ApiObject;
  previous: ApiObject | null;
}

/** An event before the cache has looked up its account's path. */
type PendingEvent = Omit<CacheEvent, "accountPath">;

export interface Delivery {
  type: WatchEventType;
  object: ApiObject;
}

export interface WatcherOptions {
  resource: AnyResource;
  /** Who watches: what they may see is what the services would show them. */
  actor: Actor;
  /** Only this account's objects (a namespaced watch); null: all the user reaches. */
  accountId: string | null;
  selection: Selection;
  bookmarks: boolean;
  deliver(event: Delivery): void;
}

export interface Watcher extends WatcherOptions {
  /**
   * The subtrees the user reaches (membershipRoots: narrowed to their API token, or the cluster's
   * grant): reloaded when the user's memberships change.
   */
  roots: readonly RootMembership[];
}

export interface WatchCacheOptions {
  resources: readonly AnyResource[];
  pollMs?: number;
  gapHoldMs?: number;
  lookback?: bigint;
  /** Events kept for watches that resume; older resourceVersions get 410 Expired. */
  historySize?: number;
  bookmarkMs?: number;
  /**
   * How often every object is read again and compared with the cache (0: never). A change whose
   * change-log row the feed missed (one committing later than the look-back window allows) shows
   * up then, as the reconciler's resync catches it.
   */
  resyncMs?: number;
}

const RESYNC_BATCH = 500;

function withVersion(object: ApiObject, rv: bigint): ApiObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: rv.toString() } };
}

/** Whether the account at `accountPath` is in one of the subtrees; an unknown account is in none. */
export function reaches(roots: readonly Pick<RootMembership, "path">[], accountPath: string | null): boolean {
  if (accountPath === null) return false;
  for (const root of roots) if (accountPath.startsWith(root.path)) return true;
  return false;
}

/** What one watcher sees of one event, or null. */
export function transformForWatcher(watcher: Watcher, event: CacheEvent): Delivery | null {
  if (watcher.resource !== event.resource) return null;
  if (watcher.accountId !== null && watcher.accountId !== event.accountId) return null;
  if (!reaches(watcher.roots, event.accountPath)) return null;
  const was = event.previous !== null && selects(watcher.selection, event.previous);
  const is = event.type !== "DELETED" && selects(watcher.selection, event.object);
  if (is) return { type: was ? "MODIFIED" : "ADDED", object: event.object };
  if (was) return { type: "DELETED", object: withVersion(event.previous as ApiObject, event.rv) };
  return null;
}

export class WatchCache {
  private readonly objects = new Map<string, Map<string, CachedObject>>();
  private readonly history: CacheEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  /** Every account's path by id, shared by all watchers (paths never change). */
  private readonly accountPaths = new Map<string, string>();
  private historyStart = 0n;
  private scopeChanges = 0;
  private processed = 0n;
  private feed: ChangeFeed | null = null;
  private bookmarkTimer: NodeJS.Timeout | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  /** apply() and resync() one after the other: both read objects and change the cache. */
  private serial: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<{ rv: bigint; resolve: () => void }>();
  readonly resources: readonly AnyResource[];
  private readonly historySize: number;

  constructor(private readonly options: WatchCacheOptions) {
    this.resources = options.resources;
    this.historySize = options.historySize ?? 10_000;
    for (const resource of this.resources) this.objects.set(resource.kind, new Map());
  }

  /** Every change up to here is in the cache and was sent to the watchers. */
  position(): bigint {
    return this.processed;
  }

  /** The oldest resourceVersion a watch may resume from. */
  oldestResumable(): bigint {
    return this.historyStart;
  }

  watcherCount(): number {
    return this.watchers.size;
  }

  async start(): Promise<void> {
    const start = await getLatestResourceVersion();
    for (const resource of this.resources) {
      const cache = this.objects.get(resource.kind) as Map<string, CachedObject>;
      for (const cached of await this.loadEverything(resource)) cache.set(cached.record.id, cached);
    }
    // After the objects: every account they belong to is there (paths never change).
    for (const account of await prisma.account.findMany({ select: { id: true, path: true } })) {
      this.accountPaths.set(account.id, account.path);
    }
    this.historyStart = start;
    this.processed = start;
    this.feed = new ChangeFeed({
      start,
      pollMs: this.options.pollMs ?? 100,
      gapHoldMs: this.options.gapHoldMs ?? 2_000,
      lookback: this.options.lookback ?? 500n,
      onRows: (rows, position) => this.inTurn(() => this.apply(rows, position)),
    });
    await this.feed.prime();
    this.feed.start();
    const bookmarkMs = this.options.bookmarkMs ?? 60_000;
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), bookmarkMs);
    this.bookmarkTimer.unref();
    const resyncMs = this.options.resyncMs ?? 300_000;
    if (resyncMs > 0) {
      this.resyncTimer = setInterval(() => {
        this.resync().catch((err: unknown) =>
          log.error("watch cache resync failed", { event: "apiserver.resync_failed", err }),
        );
      }, resyncMs);
      this.resyncTimer.unref();
    }
    log.info("watch cache started", {
      event: "apiserver.watch_cache_started",
      resourceVersion: start,
      objects: [...this.objects.values()].reduce((n, m) => n + m.size, 0),
    });
  }

  async stop(): Promise<void> {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.feed?.stop();
    await this.serial;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }

  /** Resolves true once the cache has processed `rv`, false after `timeoutMs`. */
  async waitFor(rv: bigint, timeoutMs: number): Promise<boolean> {
    if (this.processed >= rv) return true;
    return new Promise((resolve) => {
      const waiter = {
        rv,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(this.processed >= rv);
        },
      };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The cached objects of a kind (what initial events are made of). */
  snapshot(resource: AnyResource): CachedObject[] {
    return [...(this.objects.get(resource.kind)?.values() ?? [])];
  }

  /** The cached objects of a kind as ADDED events: a watch's initial events, before its filter. */
  initialEvents(resource: AnyResource): CacheEvent[] {
    return this.snapshot(resource).map(({ record, object }) =>
      this.withPath({
        rv: BigInt(object.metadata.resourceVersion || "0"),
        type: "ADDED",
        resource,
        accountId: record.accountId,
        object,
        previous: null,
      }),
    );
  }

  /** Events after `rv` still in the window, or null when `rv` is older than the window. */
  eventsAfter(rv: bigint): CacheEvent[] | null {
    if (rv < this.historyStart) return null;
    return this.history.filter((e) => e.rv > rv);
  }

  /**
   * The subtrees a caller reaches (every role may view): what their watchers may see. The one
   * place the watch cache authorizes; it asks lib/authz as the services do.
   */
  async watcherRoots(actor: Actor): Promise<readonly RootMembership[]> {
    return membershipRoots(prisma, actor);
  }

  /**
   * How many batches of membership changes this cache has applied to its watchers' roots: roots
   * read while it moved may predate one of them, and a watcher registered later would miss it.
   */
  scopeVersion(): number {
    return this.scopeChanges;
  }

  /** Registers a watcher; call synchronously after taking the snapshot or events it starts from. */
  add(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  private async materialize(
    resource: AnyResource,
    records: readonly ObjectRecord[],
    versions: Map<string, bigint> | null,
  ): Promise<CachedObject[]> {
    if (records.length === 0) return [];
    const metas = await readApiObjectMeta({ kind: resource.kind, objectIds: records.map((r) => r.id) });
    const stored = versions ?? (await latestResourceVersions({ refs: records.map((r) => r.version) }));
    return records.map((record) => ({
      record,
      object: toApiObject(
        resource,
        record,
        metas.get(record.id) ?? EMPTY_OBJECT_META,
        stored.get(record.id) ?? stored.get(versionKey(record.version)) ?? 1n,
      ),
    }));
  }

  /**
   * Reloads the roots of the watchers whose user's memberships changed in `rows`. Accounts created
   * or deleted need nothing: a new account below a root is reached by its path, and a deleted one
   * (never a parent: its children go first) has nothing left to send but its own deletion. (A
   * support session acts with its target's memberships under the target's userId; a cluster user
   * holds none: its grant's roots are fixed per request.)
   */
  private async refreshScopes(rows: readonly FeedRow[]): Promise<void> {
    const users = new Set<string>();
    for (const row of rows) {
      if (row.kind !== "Membership") continue;
      const data = row.data as { userId?: unknown } | null;
      if (data && typeof data.userId === "string") users.add(data.userId);
    }
    if (users.size === 0) return;
    // Before the watchers are taken: a watch that read its roots meanwhile and registers after this
    // sees the count move and reads them again (lib/apiserver/watch/watch-stream.ts).
    this.scopeChanges += 1;
    for (const watcher of [...this.watchers]) {
      if (users.has(watcher.actor.userId)) watcher.roots = await this.watcherRoots(watcher.actor);
    }
  }

  /** The event with its account's path from the map; an unknown account's reaches nobody. */
  private withPath(event: PendingEvent): CacheEvent {
    const accountPath = this.accountPaths.get(event.accountId) ?? null;
    if (accountPath === null) {
      log.warn("watch event of an account of unknown path: sent to nobody", {
        event: "apiserver.watch_unknown_account",
        kind: event.resource.kind,
        type: event.type,
        objectId: event.object.metadata.uid,
        accountId: event.accountId,
        resourceVersion: event.rv,
      });
    }
    return { ...event, accountPath };
  }

  /** The events with their accounts' paths, reading those the map lacks (new accounts) in one query. */
  private async withPaths(events: readonly PendingEvent[]): Promise<CacheEvent[]> {
    const missing = new Set<string>();
    for (const event of events) if (!this.accountPaths.has(event.accountId)) missing.add(event.accountId);
    if (missing.size > 0) {
      const found = await prisma.account.findMany({
        where: { id: { in: [...missing] } },
        select: { id: true, path: true },
      });
      for (const account of found) this.accountPaths.set(account.id, account.path);
    }
    return events.map((event) => this.withPath(event));
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const next = this.serial.then(work);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async loadEverything(resource: AnyResource): Promise<CachedObject[]> {
    const out: CachedObject[] = [];
    let after: string | null = null;
    for (;;) {
      const records = await resource.loadAll(after, RESYNC_BATCH);
      out.push(...(await this.materialize(resource, records, null)));
      if (records.length < RESYNC_BATCH) return out;
      after = (records[records.length - 1] as ObjectRecord).id;
    }
  }

  /**
   * Reads every object again and sends what differs from the cache: an object changed behind the
   * feed's back is MODIFIED (or ADDED), one gone without a row the feed saw is DELETED.
   */
  resync(): Promise<void> {
    return this.inTurn(async () => {
      const events: PendingEvent[] = [];
      for (const resource of this.resources) {
        const cache = this.objects.get(resource.kind) as Map<string, CachedObject>;
        const fresh = new Map((await this.loadEverything(resource)).map((c) => [c.record.id, c] as const));
        for (const [id, cached] of fresh) {
          const previous = cache.get(id);
          if (previous && JSON.stringify(previous.object) === JSON.stringify(cached.object)) continue;
          cache.set(id, cached);
          events.push({
            rv: BigInt(cached.object.metadata.resourceVersion || "0"),
            type: previous ? "MODIFIED" : "ADDED",
            resource,
            accountId: cached.record.accountId,
            object: cached.object,
            previous: previous?.object ?? null,
          });
        }
        for (const [id, cached] of [...cache]) {
          if (fresh.has(id)) continue;
          cache.delete(id);
          events.push({
            rv: this.processed,
            type: "DELETED",
            resource,
            accountId: cached.record.accountId,
            object: withVersion(cached.object, this.processed),
            previous: cached.object,
          });
        }
      }
      if (events.length > 0) {
        log.warn("watch cache resync found changes the feed missed", {
          event: "apiserver.resync_changes",
          count: events.length,
        });
      }
      this.publish(await this.withPaths(events));
    });
  }

  private publish(events: CacheEvent[]): void {
    events.sort((a, b) => (a.rv < b.rv ? -1 : a.rv > b.rv ? 1 : 0));
    for (const event of events) {
      this.history.push(event);
      for (const watcher of this.watchers) {
        const delivery = transformForWatcher(watcher, event);
        if (delivery) watcher.deliver(delivery);
      }
      // The account's rows are gone: its path is needed no more (its events in the window carry it).
      if (event.type === "DELETED" && event.resource.kind === "Account") {
        this.accountPaths.delete(event.accountId);
      }
    }
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      const last = dropped[dropped.length - 1];
      if (last && last.rv > this.historyStart) this.historyStart = last.rv;
    }
  }

  /** Applies rows the feed handed over (in order) and tells the watchers. */
  private async apply(rows: readonly FeedRow[], position: bigint): Promise<void> {
    await this.refreshScopes(rows);
    const events: PendingEvent[] = [];
    for (const resource of this.resources) events.push(...(await this.applyTo(resource, rows)));
    this.publish(await this.withPaths(events));
    if (position > this.processed) this.processed = position;
    for (const waiter of [...this.waiters]) if (waiter.rv <= this.processed) waiter.resolve();
  }

  private async applyTo(resource: AnyResource, rows: readonly FeedRow[]): Promise<PendingEvent[]> {
    const ids = new Map<string, bigint>();
    const groups = new Map<string, bigint>();
    const bump = (map: Map<string, bigint>, key: string, rv: bigint) => {
      const have = map.get(key);
      if (have === undefined || rv > have) map.set(key, rv);
    };
    for (const row of rows) {
      const targets = resource.watchTargets(row);
      for (const id of targets.ids) bump(ids, id, row.id);
      for (const group of targets.groups) bump(groups, group, row.id);
    }
    if (ids.size === 0 && groups.size === 0) return [];
    const loaded = new Map<string, ObjectRecord>();
    for (const record of await resource.loadByIds([...ids.keys()])) loaded.set(record.id, record);
    for (const record of await resource.loadGroups([...groups.keys()])) loaded.set(record.id, record);
    const versionOf = (record: ObjectRecord): bigint => {
      const byId = ids.get(record.id) ?? 0n;
      const byGroup = record.group === null ? 0n : (groups.get(record.group) ?? 0n);
      return byId > byGroup ? byId : byGroup;
    };
    const versions = new Map([...loaded.values()].map((r) => [r.id, versionOf(r)] as const));
    const cache = this.objects.get(resource.kind) as Map<string, CachedObject>;
    const events: PendingEvent[] = [];
    for (const { record, object } of await this.materialize(resource, [...loaded.values()], versions)) {
      const previous = cache.get(record.id);
      cache.set(record.id, { record, object });
      events.push({
        rv: versionOf(record),
        type: previous ? "MODIFIED" : "ADDED",
        resource,
        accountId: record.accountId,
        object,
        previous: previous?.object ?? null,
      });
    }
    const gone = (cached: CachedObject, rv: bigint) => {
      cache.delete(cached.record.id);
      events.push({
        rv,
        type: "DELETED",
        resource,
        accountId: cached.record.accountId,
        object: withVersion(cached.object, rv),
        previous: cached.object,
      });
    };
    for (const [id, rv] of ids) {
      const cached = cache.get(id);
      if (cached && !loaded.has(id)) gone(cached, rv);
    }
    if (groups.size > 0) {
      for (const cached of [...cache.values()]) {
        const rv = cached.record.group === null ? undefined : groups.get(cached.record.group);
        if (rv !== undefined && !loaded.has(cached.record.id)) gone(cached, rv);
      }
    }
    return events;
  }

  private sendBookmarks(): void {
    const position = this.processed;
    for (const watcher of this.watchers) {
      if (!watcher.bookmarks) continue;
      watcher.deliver({ type: "BOOKMARK", object: bookmarkObject(watcher.resource, position) });
    }
  }
}

export const INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end";

export function bookmarkObject(resource: AnyResource, rv: bigint, initialEventsEnd = false): ApiObject {
  return {
    apiVersion: `hosting.sitepod.io/v1alpha1`,
    kind: resource.kind,
    metadata: {
      resourceVersion: rv.toString(),
      ...(initialEventsEnd ? { annotations: { [INITIAL_EVENTS_END_ANNOTATION]: "true" } } : {}),
    } as ApiObject["metadata"],
  };
}
