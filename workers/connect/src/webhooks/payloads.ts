import { z } from "zod";

/** The fields of GitHub's webhook payloads we act on (the rest is ignored, not trusted). */
const account = z.object({
  login: z.string().max(100),
  id: z.number().int().positive(),
  type: z.string().max(40),
});
const repository = z.object({ id: z.number().int().positive(), full_name: z.string().max(250) });
const installation = z.object({
  id: z.number().int().positive(),
  account: account,
  repository_selection: z.enum(["all", "selected"]),
  suspended_at: z.iso.datetime({ offset: true }).nullable().optional(),
});

export const appAuthorizationPayload = z.object({
  action: z.string().max(40),
  sender: z.object({ id: z.number().int().positive(), login: z.string().max(100) }),
});

export const installationPayload = z.object({
  action: z.string().max(40),
  installation,
  repositories: z.array(repository).max(10_000).optional(),
});

export const installationRepositoriesPayload = z.object({
  action: z.string().max(40),
  installation,
  repository_selection: z.enum(["all", "selected"]).optional(),
  repositories_added: z.array(repository).max(10_000).default([]),
  repositories_removed: z.array(repository).max(10_000).default([]),
});

export type InstallationPayload = z.infer<typeof installationPayload>;
export type InstallationRepositoriesPayload = z.infer<typeof installationRepositoriesPayload>;

/** `repository` (renamed, transferred): the repository as it is now, by id (which never changes). */
export const repositoryPayload = z.object({
  action: z.string().max(40),
  repository: repository.extend({ owner: account.pick({ login: true, id: true }) }),
  installation: z.object({ id: z.number().int().positive() }).optional(),
});

/** `installation_target` (renamed): the installation's account under its new login, same id. */
export const installationTargetPayload = z.object({
  action: z.string().max(40),
  account: account.pick({ login: true, id: true }),
  installation: z.object({ id: z.number().int().positive() }),
});

export type RepositoryPayload = z.infer<typeof repositoryPayload>;
export type InstallationTargetPayload = z.infer<typeof installationTargetPayload>;
