import { isDeepStrictEqual } from "node:util";
import {
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  ListWatch,
  type ObjectCache,
  Watch,
} from "@kubernetes/client-node";
import type { Logger } from "@/lib/log";
import { isNotFound } from "./errors";
import { listInPages } from "./list-pages";
import { ACCOUNT_LABEL, CRON_JOB_LABEL, MANAGED_SELECTOR, SITE_LABEL } from "./manifests/labels";
import type { ManagedKind } from "./manifests/objects";
import { NO_GATEWAY_API_MESSAGE } from "./manifests/route";

export interface KindInfo {
  kind: ManagedKind;
  apiVersion: string;
  /** Watch path across all namespaces. */
  path: string;
  /** Narrower than MANAGED_SELECTOR for kinds of which only some labelled objects matter. */
  selector?: string;
  /** Watched only: Kubernetes makes and removes these (pods), the reconciler never writes them. */
  readOnly?: boolean;
  /** What the cache keeps of each object, when less than trimForCache keeps. */
  trim?: (object: KubernetesObject) => KubernetesObject;
  list(labelSelector: string): Promise<KubernetesListObject<KubernetesObject>>;
  /**
   * Served only where its CRDs are installed (HTTPRoute: the Gateway API). Its absence is a state
   * of the cluster, not an error: the informer reports the kind as not served and looks again.
   */
  optional?: true;
}

export function managedKinds(kc: KubeConfig): KindInfo[] {
  const kind = (info: Omit<KindInfo, "list">): KindInfo => ({
    ...info,
    list: (labelSelector) => listInPages(kc, info.path, labelSelector),
  });
  return [
    kind({ kind: "Namespace", apiVersion: "v1", path: "/api/v1/namespaces" }),
    kind({ kind: "ServiceAccount", apiVersion: "v1", path: "/api/v1/serviceaccounts" }),
    kind({ kind: "ConfigMap", apiVersion: "v1", path: "/api/v1/configmaps" }),
    kind({ kind: "Secret", apiVersion: "v1", path: "/api/v1/secrets" }),
    kind({ kind: "PersistentVolumeClaim", apiVersion: "v1", path: "/api/v1/persistentvolumeclaims" }),
    kind({ kind: "Deployment", apiVersion: "apps/v1", path: "/apis/apps/v1/deployments" }),
    // Site pods only (their faults become the site's Degraded condition); the suspended page's
    // pods are the account's, which needs no more than its Deployment.
    kind({
      kind: "Pod",
      apiVersion: "v1",
      path: "/api/v1/pods",
      selector: `${MANAGED_SELECTOR},${SITE_LABEL}`,
      readOnly: true,
      trim: trimToStatus,
    }),
    // A Job's pod template cannot change once it is made, so the reconciler never compares it
    // (ensure() in lib/reconciler/context.ts): it reads a Job's status and metadata only.
    kind({ kind: "Job", apiVersion: "batch/v1", path: "/apis/batch/v1/jobs", trim: trimToStatus }),
    kind({ kind: "CronJob", apiVersion: "batch/v1", path: "/apis/batch/v1/cronjobs" }),
    kind({ kind: "Service", apiVersion: "v1", path: "/api/v1/services" }),
    kind({
      kind: "Ingress",
      apiVersion: "networking.k8s.io/v1",
      path: "/apis/networking.k8s.io/v1/ingresses",
    }),
    kind({
      kind: "HTTPRoute",
      apiVersion: "gateway.networking.k8s.io/v1",
      path: "/apis/gateway.networking.k8s.io/v1/httproutes",
      optional: true,
    }),
    kind({
      kind: "NetworkPolicy",
      apiVersion: "networking.k8s.io/v1",
      path: "/apis/networking.k8s.io/v1/networkpolicies",
    }),
    kind({ kind: "ResourceQuota", apiVersion: "v1", path: "/api/v1/resourcequotas" }),
    kind({ kind: "LimitRange", apiVersion: "v1", path: "/api/v1/limitranges" }),
  ];
}

/** An object seen by an informer, with the kind it was watched as (list items carry no kind). */
export interface ObservedObject {
  kind: ManagedKind;
  apiVersion: string;
  object: KubernetesObject;
}

export type ObservedEvent = "add" | "update" | "delete";

/** The labels the informers index their objects by: a pass reads its object's own, not every one. */
export const INDEXED_LABELS = [SITE_LABEL, ACCOUNT_LABEL, CRON_JOB_LABEL] as const;
export type IndexedLabel = (typeof INDEXED_LABELS)[number];

/** Read access to what the informers observed; nothing here calls the API server. */
export interface ObservedState {
  get(kind: ManagedKind, name: string, namespace?: string): KubernetesObject | undefined;
  /** Every cached object of every managed kind. */
  all(): ObservedObject[];
  /** The cached objects whose `label` is `value`, from an index (no scan of every object). */
  labelled(label: IndexedLabel, value: string): ObservedObject[];
  /** False when the API server does not serve the kind (its CRDs are not installed). */
  served(kind: ManagedKind): boolean;
}

export interface ManagedInformers extends ObservedState {
  /** Resolves once every informer has listed at least once (its cache reflects the cluster). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type InformerFactory = (
  kubeConfig: KubeConfig,
  path: string,
  list: () => Promise<KubernetesListObject<KubernetesObject>>,
  labelSelector: string,
  trim?: (object: KubernetesObject) => KubernetesObject,
) => Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * One copy of each string the cached objects repeat. JSON.parse makes a new string for every value
 * it reads, and most of a Kubernetes object's values recur: in each of a site's objects (its id and
 * its account's in every label and selector), across sites (images, mount paths, security
 * settings, quantities, owner kinds, condition types and reasons, timestamps of the same second).
 * Bounded: when it holds `capacity` strings it starts again empty (the strings the cache holds stay
 * where they are, later copies are simply pooled anew), so values seen once (uids, resource
 * versions) cannot make it grow without end. Long strings are rarely repeated and are left alone.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(
    private readonly capacity = 50_000,
    private readonly maxLength = 200,
  ) {}

  get size(): number {
    return this.strings.size;
  }

  intern(value: string): string {
    if (value.length > this.maxLength) return value;
    const pooled = this.strings.get(value);
    if (pooled !== undefined) return pooled;
    if (this.strings.size >= this.capacity) this.strings.clear();
    this.strings.set(value, value);
    return value;
  }

  /** Replaces, in place, every string value in `value`'s arrays and objects by its pooled copy. */
  internAll(value: unknown): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === "string") value[i] = this.intern(item);
        else if (typeof item === "object" && item !== null) this.internAll(item);
      }
    } else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (typeof item === "string") record[key] = this.intern(item);
        else if (typeof item === "object" && item !== null) this.internAll(item);
      }
    }
  }
}

const cachedStrings = new StringPool();

/**
 * What a cache keeps of an object: all of it but what the reconciler never reads and what makes up
 * much of its size: `metadata.managedFields` (server-side apply's record of who owns which field,
 * a third to a half of a Deployment's JSON) and kubectl's last-applied annotation (a second copy of
 * the object, on objects someone `kubectl apply`-ed); and its strings pooled (StringPool). At 5,000
 * sites the informers hold some 60,000 objects. The object is trimmed in place: it was parsed for
 * the cache and nobody else has it.
 */
export function trimForCache<T extends KubernetesObject>(object: T): T {
  const metadata = object.metadata;
  if (metadata) {
    delete metadata.managedFields;
    if (metadata.annotations && LAST_APPLIED in metadata.annotations)
      delete metadata.annotations[LAST_APPLIED];
  }
  cachedStrings.internAll(object);
  return object;
}

/**
 * An object as the cache keeps it when the reconciler reads only its metadata and status (pods:
 * their faults, restarts and readiness; Jobs: their outcome): without its spec (for a pod, the
 * template its controller copied with admission's defaults, the larger part of it), which Sitepod
 * never reads back.
 */
export function trimToStatus(object: KubernetesObject): KubernetesObject {
  delete (object as { spec?: unknown }).spec;
  return trimForCache(object);
}

/**
 * Whether an update changed nothing but the object's status (and its resourceVersion, which every
 * write changes): no label, annotation, owner, spec or data, and so nothing Sitepod renders.
 */
export function onlyStatusChanged(previous: KubernetesObject, next: KubernetesObject): boolean {
  const { status: _previousStatus, metadata: previousMetadata, ...previousRest } = previous as WithStatus;
  const { status: _nextStatus, metadata: nextMetadata, ...nextRest } = next as WithStatus;
  const { resourceVersion: _previousVersion, ...previousMeta } = previousMetadata ?? {};
  const { resourceVersion: _nextVersion, ...nextMeta } = nextMetadata ?? {};
  return isDeepStrictEqual(previousMeta, nextMeta) && isDeepStrictEqual(previousRest, nextRest);
}

type WithStatus = KubernetesObject & { status?: unknown };

/** The part of client-node's Watch a ListWatch calls. */
export type WatchClient = Pick<Watch, "watch">;

/**
 * client-node's informer (a ListWatch: list, then watch from the list's resourceVersion), with every
 * object it lists or is sent trimmed (trimForCache, or the kind's own `trim`) before it reaches the
 * cache and the handlers.
 */
export function trimmedInformer(
  watch: WatchClient,
  path: string,
  list: () => Promise<KubernetesListObject<KubernetesObject>>,
  labelSelector: string,
  trim: (object: KubernetesObject) => KubernetesObject = trimForCache,
): ListWatch<KubernetesObject> {
  const trimming: WatchClient = {
    watch: (watchPath, queryParams, callback, done) =>
      watch.watch(
        watchPath,
        queryParams,
        // An ERROR event carries a Status, not an object of the kind; a BOOKMARK only metadata.
        (phase, object: KubernetesObject, raw) =>
          callback(phase, phase === "ERROR" ? object : trim(object), raw),
        done,
      ),
  };
  const trimmedList = async () => {
    const result = await list();
    for (const item of result.items) trim(item);
    return result;
  };
  return new ListWatch(path, trimming as Watch, trimmedList, false, labelSelector);
}

const makeTrimmedInformer: InformerFactory = (kubeConfig, path, list, labelSelector, trim) =>
  trimmedInformer(new Watch(kubeConfig), path, list, labelSelector, trim);

interface Entry {
  info: KindInfo;
  informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  retryDelayMs: number;
  retryTimer?: NodeJS.Timeout;
  /** The last list answered 404: the kind is not served (optional kinds only). */
  absent: boolean;
}

const MAX_RETRY_DELAY_MS = 30_000;

/** labelled() for a cache that keeps no index (tests' in-memory clusters): a scan of all(). */
export function labelledIn(objects: ObservedObject[], label: IndexedLabel, value: string): ObservedObject[] {
  return objects.filter((o) => o.object.metadata?.labels?.[label] === value);
}

/**
 * Objects by the values of the INDEXED_LABELS, kept up to date by the informers' events (client-node
 * emits one for every object its cache adds, changes or drops, a relist's included).
 */
export class LabelIndex {
  /** label -> value -> object key -> object */
  private readonly byValue = new Map<IndexedLabel, Map<string, Map<string, ObservedObject>>>();
  /** object key -> the values it is filed under, to unfile it when its labels change or it goes */
  private readonly filed = new Map<string, Array<[IndexedLabel, string]>>();

  private static key(o: ObservedObject): string {
    return `${o.kind} ${o.object.metadata?.namespace ?? ""}/${o.object.metadata?.name ?? ""}`;
  }

  put(o: ObservedObject): void {
    const key = LabelIndex.key(o);
    this.unfile(key);
    const labels = o.object.metadata?.labels ?? {};
    const entries: Array<[IndexedLabel, string]> = [];
    for (const label of INDEXED_LABELS) {
      const value = labels[label];
      if (value === undefined) continue;
      let values = this.byValue.get(label);
      if (!values) {
        values = new Map();
        this.byValue.set(label, values);
      }
      let objects = values.get(value);
      if (!objects) {
        objects = new Map();
        values.set(value, objects);
      }
      objects.set(key, o);
      entries.push([label, value]);
    }
    if (entries.length > 0) this.filed.set(key, entries);
  }

  remove(o: ObservedObject): void {
    this.unfile(LabelIndex.key(o));
  }

  /** The object filed under `o`'s kind, namespace and name: before put(o), its previous version. */
  current(o: ObservedObject): ObservedObject | undefined {
    const key = LabelIndex.key(o);
    const [first] = this.filed.get(key) ?? [];
    return first ? this.byValue.get(first[0])?.get(first[1])?.get(key) : undefined;
  }

  get(label: IndexedLabel, value: string): ObservedObject[] {
    return [...(this.byValue.get(label)?.get(value)?.values() ?? [])];
  }

  private unfile(key: string): void {
    for (const [label, value] of this.filed.get(key) ?? []) {
      const values = this.byValue.get(label);
      const objects = values?.get(value);
      objects?.delete(key);
      if (objects?.size === 0) values?.delete(value);
    }
    this.filed.delete(key);
  }
}

/**
 * One informer per managed kind, all namespaces, restricted to objects labelled as Sitepod's.
 * client-node's ListWatch stops for good after a non-timeout error, so each one is restarted here
 * with a capped exponential delay.
 */
export function createManagedInformers(options: {
  kubeConfig: KubeConfig;
  log: Logger;
  /**
   * Every add, update and delete; an update of an object that carries an indexed label comes with
   * the version it replaces (for onlyStatusChanged).
   */
  onEvent: (event: ObservedEvent, observed: ObservedObject, previous?: KubernetesObject) => void;
  /** The routing mode needs HTTPRoutes: their absence is logged as an error (once), else as info. */
  gatewayApiRequired?: boolean;
  /** Tests: other kinds, or informers that talk to no API server. */
  kinds?: KindInfo[];
  informerFactory?: InformerFactory;
}): ManagedInformers {
  const { kubeConfig, log, onEvent } = options;
  let stopped = false;

  function markAbsent(entry: Entry): void {
    if (entry.absent) return;
    entry.absent = true;
    if (options.gatewayApiRequired ?? true) {
      log.error("kind not served", { kind: entry.info.kind, message: NO_GATEWAY_API_MESSAGE });
    } else {
      log.info("kind not served; not watched until it is", { kind: entry.info.kind });
    }
  }

  const factory = options.informerFactory ?? makeTrimmedInformer;
  const index = new LabelIndex();
  const entries: Entry[] = (options.kinds ?? managedKinds(kubeConfig)).map((info) => {
    const selector = info.selector ?? MANAGED_SELECTOR;
    const list = async () => {
      try {
        const result = await info.list(selector);
        if (entry.absent) log.info("kind served now", { kind: info.kind });
        entry.absent = false;
        return result;
      } catch (err) {
        if (info.optional && isNotFound(err)) markAbsent(entry);
        throw err;
      }
    };
    const informer = factory(kubeConfig, info.path, list, selector, info.trim);
    const entry: Entry = { info, informer, retryDelayMs: 500, absent: false };
    for (const event of ["add", "update", "delete"] as const) {
      informer.on(event, (object) => {
        entry.retryDelayMs = 500;
        const observed = { kind: info.kind, apiVersion: info.apiVersion, object };
        const previous = event === "update" ? index.current(observed)?.object : undefined;
        if (event === "delete") index.remove(observed);
        else index.put(observed);
        onEvent(event, observed, previous);
      });
    }
    informer.on("error", (err: unknown) => scheduleRestart(entry, err));
    return entry;
  });
  const byKind = new Map(entries.map((e) => [e.info.kind, e]));

  function scheduleRestart(entry: Entry, err: unknown): void {
    if (stopped) return;
    // A kind that is not served was reported once (markAbsent); it is looked for again quietly.
    if (!entry.absent) {
      log.warn("informer error, restarting", { kind: entry.info.kind, err, retryInMs: entry.retryDelayMs });
    }
    clearTimeout(entry.retryTimer);
    entry.retryTimer = setTimeout(() => {
      if (stopped) return;
      entry.informer.start().catch((startErr: unknown) => scheduleRestart(entry, startErr));
    }, entry.retryDelayMs);
    entry.retryDelayMs = Math.min(entry.retryDelayMs * 2, MAX_RETRY_DELAY_MS);
  }

  function synced(entry: Entry): boolean {
    // ListWatch reports list errors to "error" listeners instead of throwing; a resourceVersion
    // means its initial list succeeded and the cache reflects the cluster.
    const lw = entry.informer as unknown as { latestResourceVersion(): string };
    return entry.absent || lw.latestResourceVersion() !== "";
  }

  async function startOne(entry: Entry): Promise<void> {
    try {
      await entry.informer.start();
    } catch (err) {
      scheduleRestart(entry, err);
    }
    while (!stopped && !synced(entry)) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    async start() {
      stopped = false;
      await Promise.all(entries.map(startOne));
    },
    async stop() {
      stopped = true;
      for (const entry of entries) clearTimeout(entry.retryTimer);
      await Promise.all(entries.map((e) => e.informer.stop()));
    },
    get(kind, name, namespace) {
      const entry = byKind.get(kind);
      return entry && !entry.absent ? entry.informer.get(name, namespace) : undefined;
    },
    served(kind) {
      return byKind.get(kind)?.absent !== true;
    },
    labelled(label, value) {
      return index.get(label, value).filter((o) => byKind.get(o.kind)?.absent !== true);
    },
    all() {
      const result: ObservedObject[] = [];
      for (const entry of entries) {
        if (entry.absent) continue;
        for (const object of entry.informer.list()) {
          result.push({ kind: entry.info.kind, apiVersion: entry.info.apiVersion, object });
        }
      }
      return result;
    },
  };
}
