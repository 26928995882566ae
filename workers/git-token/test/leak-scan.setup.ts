import { afterAll, beforeAll } from "vitest";

beforeAll(() => {});
afterAll(() => {});
