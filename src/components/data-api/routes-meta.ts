/**
 * /v1/meta/*: the GitOps metadata (feeds, schemas, environments and their git history) and the
 * archive's inventory and gaps. Metadata is re-read per request (small files, always current).
 */
import { NotFoundError } from "../../core/errors.js";
import { suggest } from "../../core/suggest.js";
import { fileVersions, type GitEnv } from "../../metadata/git.js";
import { type Entry, loadTree, type MetadataTree } from "../../metadata/tree.js";
import type { DatasetCatalog } from "./dataset-catalog.js";
import type { Route } from "./http-router.js";
import { parseFeedName, parseOptionalDate } from "./params.js";
import { datasetFilter, validatedDay } from "./routes-datasets.js";

export interface MetaSource {
  /** The exchanges/ directory (feeds/, schemas/, environments/). */
  exchangesDir: string;
  /** Environment for the git child process (PATH, HOME). */
  gitEnv: GitEnv;
}

function configs<T>(entries: Map<string, Entry<T>>): T[] {
  return [...entries.values()].flatMap((entry) => (entry.config ? [entry.config] : []));
}

function entryOf<T>(entries: Map<string, Entry<T>>, kind: string, name: string): Entry<T> {
  const entry = entries.get(name);
  if (entry?.config) return entry;
  const valid = [...entries.keys()];
  throw new NotFoundError(kind, name, valid, suggest(name, valid));
}

export function metaRoutes(source: MetaSource, catalog: DatasetCatalog): Route[] {
  const tree = (): Promise<MetadataTree> => loadTree(source.exchangesDir);
  return [
    { pattern: "/v1/meta/feeds", auth: true, handle: async () => ({ feeds: configs((await tree()).feeds) }) },
    {
      pattern: "/v1/meta/feeds/{name}",
      auth: true,
      handle: async ({ params }) => entryOf((await tree()).feeds, "feed", params.name!).config,
    },
    {
      pattern: "/v1/meta/schemas",
      auth: true,
      handle: async () => ({ schemas: configs((await tree()).schemas) }),
    },
    {
      pattern: "/v1/meta/schemas/{name}/{version}",
      auth: true,
      handle: async ({ params }) => {
        const schema = entryOf((await tree()).schemas, "schema", params.name!).config!;
        const found = schema.versions.find((v) => v.version === params.version);
        if (found) return { name: schema.name, ...found };
        const valid = schema.versions.map((v) => v.version);
        throw new NotFoundError("schema version", params.version!, valid, suggest(params.version!, valid));
      },
    },
    {
      pattern: "/v1/meta/environments",
      auth: true,
      handle: async () => ({ environments: configs((await tree()).environments) }),
    },
    {
      pattern: "/v1/meta/environments/{name}/history",
      auth: true,
      handle: async ({ params }) => {
        const entry = entryOf((await tree()).environments, "environment", params.name!);
        return { name: entry.name, versions: await fileVersions(entry.path, source.gitEnv) };
      },
    },
    {
      pattern: "/v1/meta/inventory",
      auth: true,
      handle: async ({ query }) => {
        const rows = await catalog.datasets(datasetFilter(query));
        const status = query.get("status") ?? undefined;
        return { inventory: status ? rows.filter((row) => row.status === status) : rows };
      },
    },
    {
      pattern: "/v1/meta/inventory/{feed}/{date}",
      auth: true,
      handle: async (ctx) => {
        const { feed, date } = await validatedDay(catalog, ctx);
        const [summary, manifest] = await Promise.all([
          catalog.summary(feed, date),
          catalog.manifest(feed, date),
        ]);
        return { ...summary, manifest: manifest ?? null };
      },
    },
    {
      pattern: "/v1/meta/gaps/{feed}",
      auth: true,
      handle: async ({ params, query }) => {
        const feed = await catalog.requireFeed(parseFeedName(params.feed));
        const from = parseOptionalDate(query.get("from") ?? undefined, "from");
        const to = parseOptionalDate(query.get("to") ?? undefined, "to");
        const gaps = [];
        for (const date of await catalog.dates(feed, from, to)) {
          const manifest = await catalog.manifest(feed, date);
          for (const gap of manifest?.gaps ?? []) gaps.push({ date, ...gap });
        }
        return { feed, count: gaps.length, gaps };
      },
    },
  ];
}
