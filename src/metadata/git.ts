/**
 * The git side of the metadata: history, versions, as-of, diff and commit all come from the
 * operator's repository. Runs the `git` binary; never pushes.
 */
import { execFile } from "node:child_process";
import { basename, dirname } from "node:path";
import { ConfigError, ConflictError, NotFoundError, UnavailableError } from "../core/errors.js";

export type GitEnv = Readonly<Record<string, string | undefined>>;

export interface FileVersion {
  version: number;
  commit: string;
  date: string; // ISO 8601 author date
  author: string;
  message: string;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function git(cwd: string, args: string[], env: GitEnv = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const childEnv = { ...env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C" };
    execFile("git", args, { cwd, env: childEnv, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new UnavailableError(`cannot run git: ${error.message}`, { cause: error }));
        return;
      }
      resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
    });
  });
}

/** Like git() but a non-zero exit is an error naming the command. */
export async function gitOk(cwd: string, args: string[], env: GitEnv = {}): Promise<string> {
  const result = await git(cwd, args, env);
  if (result.code !== 0) {
    throw new ConflictError(`git ${args[0]} failed in ${cwd}`, {
      details: [result.stderr.trim() || result.stdout.trim()],
    });
  }
  return result.stdout;
}

export async function isInsideWorkTree(dir: string, env: GitEnv = {}): Promise<boolean> {
  const result = await git(dir, ["rev-parse", "--is-inside-work-tree"], env);
  return result.code === 0 && result.stdout.trim() === "true";
}

/** ConfigError unless `dir` is inside a git work tree (history and commits need one). */
export async function requireWorkTree(dir: string, env: GitEnv = {}): Promise<void> {
  if (await isInsideWorkTree(dir, env)) return;
  throw new ConfigError(`${dir} is not inside a git repository`, {
    details: ["history, versions, --as-of and commit come from git: run `git init` there (ssmd init does)"],
  });
}

export async function hasHead(dir: string, env: GitEnv = {}): Promise<boolean> {
  return (await git(dir, ["rev-parse", "--verify", "--quiet", "HEAD"], env)).code === 0;
}

/** Every commit that touched the file, oldest first: version N is the N-th of them. */
export async function fileVersions(path: string, env: GitEnv = {}): Promise<FileVersion[]> {
  const cwd = dirname(path);
  await requireWorkTree(cwd, env);
  if (!(await hasHead(cwd, env))) return [];
  const format = "--format=%H%x1f%aI%x1f%an <%ae>%x1f%s";
  const out = await gitOk(cwd, ["log", "--follow", format, "--", basename(path)], env);
  return out
    .split("\n")
    .filter((line) => line.length > 0)
    .reverse()
    .map((line, i) => {
      const [commit = "", date = "", author = "", message = ""] = line.split("\u001f");
      return { version: i + 1, commit, date, author, message };
    });
}

export async function versionByNumber(
  path: string,
  what: string,
  number: number,
  env: GitEnv = {},
): Promise<FileVersion> {
  const versions = await fileVersions(path, env);
  const found = versions.find((v) => v.version === number);
  if (found) return found;
  const valid = versions.map((v) => String(v.version));
  const hint = valid.length > 0 ? valid[valid.length - 1] : undefined;
  throw new NotFoundError(`${what} version`, String(number), valid, hint);
}

/** The file's text at a commit. */
export function showAt(path: string, commit: string, env: GitEnv = {}): Promise<string> {
  return gitOk(dirname(path), ["show", `${commit}:./${basename(path)}`], env);
}

/** The last commit touching the file on or before the end of `date` (UTC), if any. */
export async function versionAsOf(
  path: string,
  date: string,
  env: GitEnv = {},
): Promise<FileVersion | undefined> {
  const end = Date.parse(`${date}T23:59:59.999Z`);
  const versions = await fileVersions(path, env);
  return versions.filter((v) => Date.parse(v.date) <= end).pop();
}
