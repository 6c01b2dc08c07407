import { isDeepStrictEqual } from "node:util";
import { deflateRawSync, inflateRawSync } from "node:zlib";
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
  /** Lists every object; `each`, when given, is applied to each item as it is read. */
  list(
    labelSelector: string,
    each?: (item: KubernetesObject) => KubernetesObject,
  ): Promise<KubernetesListObject<KubernetesObject>>;
  /**
   * Served only where its CRDs are installed (HTTPRoute: the Gateway API). Its absence is a state
   * of the cluster, not an error: the informer reports the kind as not served and looks again.
   */
  optional?: true;
}

export function managedKinds(kc: KubeConfig): KindInfo[] {
  const kind = (info: Omit<KindInfo, "list">): KindInfo => ({
    ...info,
    list: (labelSelector, each) => listInPages(kc, info.path, labelSelector, undefined, each),
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
  /** The cached objects whose `label` is `value`, from an index (no scan of every object). */
  labelled(label: IndexedLabel, value: string): ObservedObject[];
  /** Every value of `label` some cached object carries (e.g. every site with objects), from the index. */
  labelValues(label: IndexedLabel): string[];
  /** False when the API server does not serve the kind (its CRDs are not installed). */
  served(kind: ManagedKind): boolean;
}

export interface ManagedInformers extends ObservedState {
  /** Resolves once every informer has listed at least once (its cache reflects the cluster). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** How many objects the caches hold. */
  count(): number;
  /** The cached objects of one kind, each read back as it is reached (none held all at once). */
  objectsOf(kind: ManagedKind): Iterable<ObservedObject>;
}

/** Lists a kind's objects, applying `each` (when given) to every item as it is read. */
export type ListFunction = (
  each?: (item: KubernetesObject) => KubernetesObject,
) => Promise<KubernetesListObject<KubernetesObject>>;

export type InformerFactory = (
  kubeConfig: KubeConfig,
  path: string,
  list: ListFunction,
  labelSelector: string,
  trim: ((object: KubernetesObject) => KubernetesObject) | undefined,
  packer: ObjectPacker,
) => Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * One copy of each string the caches' shells repeat (ObjectPacker): JSON.parse makes a new string
 * for every value it reads, and a site's objects share its name and every account's objects their
 * namespace. Bounded: when it holds `capacity` strings it starts again empty (the strings the
 * cache holds stay where they are, later copies are simply pooled anew), so names seen once cannot
 * make it grow without end. Long strings are rarely repeated and are left alone.
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
}

const cachedStrings = new StringPool();

/**
 * What a cache keeps of an object: all of it but what the reconciler never reads and what makes up
 * much of its size: `metadata.managedFields` (server-side apply's record of who owns which field,
 * a third to a half of a Deployment's JSON) and kubectl's last-applied annotation (a second copy of
 * the object, on objects someone `kubectl apply`-ed). The object is trimmed in place: it was parsed
 * for the cache and nobody else has it. The cache then keeps it packed (ObjectPacker).
 */
export function trimForCache<T extends KubernetesObject>(object: T): T {
  const metadata = object.metadata;
  if (metadata) {
    delete metadata.managedFields;
    if (metadata.annotations && LAST_APPLIED in metadata.annotations)
      delete metadata.annotations[LAST_APPLIED];
  }
  return object;
}

const PACKED = Symbol("sitepod.packed");
type PackedObject = KubernetesObject & { [PACKED]: string };

/** The largest dictionary deflate uses (its window). */
const MAX_DICTIONARY = 32 * 1024;

/**
 * How a kind's cache keeps its objects: each as its JSON deflated against a dictionary (the first
 * object of the kind this packer packed, so the keys, images, settings and defaults every object of
 * a kind repeats cost a few bytes each), held as a one-byte string, in a shell with the name,
 * namespace and resourceVersion client-node's cache files it by. At 5,000 sites the informers hold
 * some 60,000 objects: parsed, a Deployment took 5.4 KiB of heap, a pod trimmed to its status 2 KiB;
 * packed, a few hundred bytes. Reading one back (inflate and parse) takes tens of microseconds, a
 * small part of a pass that reads a dozen of them and then waits on the API server.
 *
 * Objects the cache did not get from a packer (tests' fake informers) are read back as they are.
 */
export class ObjectPacker {
  private dictionary: Buffer | undefined;
  /** Packed shells whose object has not reached the event handlers yet: they get it unparsed. */
  private readonly fresh = new WeakMap<KubernetesObject, KubernetesObject>();

  isPacked(object: KubernetesObject): boolean {
    return (object as Partial<PackedObject>)[PACKED] !== undefined;
  }

  /**
   * `handOver`: keep the parsed object for the event handler's take() (a watch event's object, one
   * at a time). A list's objects are not kept: client-node calls the handlers only once the whole
   * list is read, and holding every object of a kind parsed until then is what packing them page
   * by page avoids (at 5,000 sites, some 11,000 pods and 5,000 Deployments at once); their
   * handlers read them back from the packed form instead.
   */
  pack(object: KubernetesObject, handOver = true): KubernetesObject {
    const json = Buffer.from(JSON.stringify(object));
    this.dictionary ??= Buffer.from(json.subarray(Math.max(0, json.length - MAX_DICTIONARY)));
    const metadata = object.metadata;
    const shell: PackedObject = {
      metadata: {
        name: metadata?.name === undefined ? undefined : cachedStrings.intern(metadata.name),
        namespace: metadata?.namespace === undefined ? undefined : cachedStrings.intern(metadata.namespace),
        resourceVersion: metadata?.resourceVersion,
      },
      [PACKED]: deflateRawSync(json, { dictionary: this.dictionary }).toString("latin1"),
    };
    if (handOver) this.fresh.set(shell, object);
    return shell;
  }

  /** The object a shell holds, parsed anew (the caller may keep or change it). */
  unpack(object: KubernetesObject): KubernetesObject {
    const packed = (object as Partial<PackedObject>)[PACKED];
    if (packed === undefined) return object;
    const json = inflateRawSync(Buffer.from(packed, "latin1"), { dictionary: this.dictionary });
    return JSON.parse(json.toString()) as KubernetesObject;
  }

  /** For an event handler: the object just packed into this shell, else the shell unpacked. */
  take(object: KubernetesObject): KubernetesObject {
    const fresh = this.fresh.get(object);
    if (fresh === undefined) return this.unpack(object);
    this.fresh.delete(object);
    return fresh;
  }
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
 * object it lists or is sent trimmed (trimForCache, or the kind's own `trim`) and packed
 * (ObjectPacker) before it reaches the cache. Its handlers receive packed shells: `packer.take`
 * gives them the object.
 */
export function trimmedInformer(
  watch: WatchClient,
  path: string,
  list: ListFunction,
  labelSelector: string,
  trim: (object: KubernetesObject) => KubernetesObject = trimForCache,
  packer = new ObjectPacker(),
): ListWatch<KubernetesObject> {
  const trimming: WatchClient = {
    watch: (watchPath, queryParams, callback, done) =>
      watch.watch(
        watchPath,
        queryParams,
        // An ERROR event carries a Status, not an object of the kind; a BOOKMARK only metadata.
        (phase, object: KubernetesObject, raw) =>
          callback(
            phase,
            phase === "ERROR" || phase === "BOOKMARK" ? object : packer.pack(trim(object)),
            raw,
          ),
        done,
      ),
  };
  const keep = (item: KubernetesObject) => packer.pack(trim(item), false);
  const trimmedList = async () => {
    // Packed page by page as the list is read, and not handed over parsed (ObjectPacker.pack); a
    // list that does not apply `each` (tests' fakes) is packed here.
    const result = await list(keep);
    result.items = result.items.map((item) => (packer.isPacked(item) ? item : keep(item)));
    return result;
  };
  return new ListWatch(path, trimming as Watch, trimmedList, false, labelSelector);
}

const makeTrimmedInformer: InformerFactory = (kubeConfig, path, list, labelSelector, trim, packer) =>
  trimmedInformer(new Watch(kubeConfig), path, list, labelSelector, trim, packer);

interface Entry {
  info: KindInfo;
  packer: ObjectPacker;
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

/** labelValues() for a cache that keeps no index: a scan of its objects. */
export function labelValuesIn(objects: ObservedObject[], label: IndexedLabel): string[] {
  const values = new Set<string>();
  for (const o of objects) {
    const value = o.object.metadata?.labels?.[label];
    if (value !== undefined) values.add(value);
  }
  return [...values];
}

/**
 * Objects by the values of the INDEXED_LABELS, kept up to date by the informers' events (client-node
 * emits one for every object its cache adds, changes or drops, a relist's included).
 */
export class LabelIndex {
  /** label -> value -> object key -> object */
  private readonly byValue = new Map<IndexedLabel, Map<string, Map<string, ObservedObject>>>();
  /**
   * object key -> the values it is filed under, one slot per INDEXED_LABELS entry, to unfile it
   * when its labels change or it goes. Never changed in place: objects with the same values (a
   * site's dozen objects) share one array, found through an object filed under the same value.
   */
  private readonly filed = new Map<string, ReadonlyArray<string | undefined>>();

  private static key(o: ObservedObject): string {
    return `${o.kind} ${o.object.metadata?.namespace ?? ""}/${o.object.metadata?.name ?? ""}`;
  }

  /** Files `o` under its labels, or under `labels` when `o` is a shell without them (a packed object). */
  put(o: ObservedObject, labels = o.object.metadata?.labels ?? {}): void {
    const key = LabelIndex.key(o);
    this.unfile(key);
    const values = INDEXED_LABELS.map((label) => labels[label]);
    let shared: ReadonlyArray<string | undefined> | undefined;
    INDEXED_LABELS.forEach((label, i) => {
      const value = values[i];
      if (value === undefined) return;
      let byLabel = this.byValue.get(label);
      if (!byLabel) {
        byLabel = new Map();
        this.byValue.set(label, byLabel);
      }
      let objects = byLabel.get(value);
      if (!objects) {
        objects = new Map();
        byLabel.set(value, objects);
      }
      if (!shared) {
        const peer = objects.keys().next();
        const peerValues = peer.done ? undefined : this.filed.get(peer.value);
        if (peerValues?.every((v, j) => v === values[j])) shared = peerValues;
      }
      objects.set(key, o);
    });
    if (values.some((v) => v !== undefined)) this.filed.set(key, shared ?? values);
  }

  remove(o: ObservedObject): void {
    this.unfile(LabelIndex.key(o));
  }

  /** The object filed under `o`'s kind, namespace and name: before put(o), its previous version. */
  current(o: ObservedObject): ObservedObject | undefined {
    const key = LabelIndex.key(o);
    const values = this.filed.get(key);
    if (!values) return undefined;
    const i = values.findIndex((v) => v !== undefined);
    const label = INDEXED_LABELS[i];
    const value = values[i];
    return label && value !== undefined ? this.byValue.get(label)?.get(value)?.get(key) : undefined;
  }

  get(label: IndexedLabel, value: string): ObservedObject[] {
    return [...(this.byValue.get(label)?.get(value)?.values() ?? [])];
  }

  /** The values of `label` some filed object carries. */
  values(label: IndexedLabel): string[] {
    return [...(this.byValue.get(label)?.keys() ?? [])];
  }

  private unfile(key: string): void {
    const values = this.filed.get(key);
    if (!values) return;
    INDEXED_LABELS.forEach((label, i) => {
      const value = values[i];
      if (value === undefined) return;
      const byLabel = this.byValue.get(label);
      const objects = byLabel?.get(value);
      objects?.delete(key);
      if (objects?.size === 0) byLabel?.delete(value);
    });
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
   * a reader of the version it replaces (for onlyStatusChanged; unpacked only when read).
   */
  onEvent: (event: ObservedEvent, observed: ObservedObject, previous?: () => KubernetesObject) => void;
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
    const list: ListFunction = async (each) => {
      try {
        const result = await info.list(selector, each);
        if (entry.absent) log.info("kind served now", { kind: info.kind });
        entry.absent = false;
        return result;
      } catch (err) {
        if (info.optional && isNotFound(err)) markAbsent(entry);
        throw err;
      }
    };
    const packer = new ObjectPacker();
    const informer = factory(kubeConfig, info.path, list, selector, info.trim, packer);
    const entry: Entry = { info, packer, informer, retryDelayMs: 500, absent: false };
    for (const event of ["add", "update", "delete"] as const) {
      informer.on(event, (cached) => {
        entry.retryDelayMs = 500;
        const object = packer.take(cached);
        // The index files what the cache holds (the packed shell); the handlers get the object.
        const filed = { kind: info.kind, apiVersion: info.apiVersion, object: cached };
        const replaced = event === "update" ? index.current(filed)?.object : undefined;
        if (event === "delete") index.remove(filed);
        else index.put(filed, object.metadata?.labels);
        onEvent(
          event,
          { kind: info.kind, apiVersion: info.apiVersion, object },
          replaced && (() => packer.unpack(replaced)),
        );
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
      const cached = entry && !entry.absent ? entry.informer.get(name, namespace) : undefined;
      return cached && entry?.packer.unpack(cached);
    },
    served(kind) {
      return byKind.get(kind)?.absent !== true;
    },
    labelled(label, value) {
      const found: ObservedObject[] = [];
      for (const o of index.get(label, value)) {
        const entry = byKind.get(o.kind);
        if (entry && !entry.absent) found.push({ ...o, object: entry.packer.unpack(o.object) });
      }
      return found;
    },
    labelValues(label) {
      return index.values(label);
    },
    count() {
      return entries.reduce((n, entry) => n + (entry.absent ? 0 : entry.informer.list().length), 0);
    },
    *objectsOf(kind) {
      const entry = byKind.get(kind);
      if (!entry || entry.absent) return;
      for (const cached of entry.informer.list()) {
        yield { kind, apiVersion: entry.info.apiVersion, object: entry.packer.unpack(cached) };
      }
    },
  };
}
