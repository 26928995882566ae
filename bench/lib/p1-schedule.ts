/**
 * The fixed P1 workload, generated from a seed so every run replays the same 10 simulated hours:
 * 20 people (16 connected, 4 never connected: their sessions use the App), 5 organisations with the App
 * installed, 10 repositories each (50), 200 sessions of 20–120 minutes that use git roughly every 5
 * minutes, and 2 people who revoke the App mid-run. Times are whole simulated minutes from the start.
 */

export interface P1Shape {
  people: number;
  connected: number;
  orgs: number;
  reposPerOrg: number;
  sessions: number;
  minutes: number;
  /** Person index and minute at which they revoke the App at GitHub. */
  revocations: { person: number; minute: number }[];
  seed: number;
}

export const P1_SHAPE: P1Shape = {
  people: 20,
  connected: 16,
  orgs: 5,
  reposPerOrg: 10,
  sessions: 200,
  minutes: 600,
  // Chosen while these people have sessions running (3: three sessions, 11: one), so the run covers
  // sessions that lose the person's token mid-way and switch to the App.
  revocations: [
    { person: 11, minute: 260 },
    { person: 3, minute: 380 },
  ],
  seed: 20261122,
};

export interface ScheduledSession {
  id: string;
  person: number;
  org: number;
  repo: number;
  start: number;
  /** Minutes at which the agent uses git (fetch/push), after the preparation at `start`. */
  uses: number[];
}

export interface Schedule {
  shape: P1Shape;
  sessions: ScheduledSession[];
}

/** mulberry32: a small deterministic PRNG (same seed, same workload). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Person `p` can push to every repository of org `p % orgs`, and to repos 0–2 of the next org. */
export function canPush(shape: P1Shape, person: number, org: number, repo: number): boolean {
  const home = person % shape.orgs;
  return org === home || (org === (home + 1) % shape.orgs && repo < 3);
}

/** The workload for `shape` (deterministic: the seed fixes every session, repository and minute). */
export function makeSchedule(shape: P1Shape = P1_SHAPE): Schedule {
  const random = prng(shape.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const sessions: ScheduledSession[] = [];
  for (let i = 0; i < shape.sessions; i++) {
    const person = pick(shape.people);
    const home = person % shape.orgs;
    // Four in five sessions work in the person's own org; the rest on the shared repos next door.
    const away = random() < 0.2;
    const org = away ? (home + 1) % shape.orgs : home;
    const repo = away ? pick(3) : pick(shape.reposPerOrg);
    const start = pick(shape.minutes - 30);
    const length = 20 + pick(101);
    const end = Math.min(shape.minutes - 1, start + length);
    const uses: number[] = [];
    for (let t = start + 2 + pick(4); t <= end; t += 4 + pick(3)) uses.push(t);
    sessions.push({ id: `p1-${String(i).padStart(3, "0")}`, person, org, repo, start, uses });
  }
  return { shape, sessions };
}
