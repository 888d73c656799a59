/**
 * The relay's SQL-over-HTTP endpoint (scripts/lib/sql-over-http.ts), exercised the way the app will
 * use it: the real `neon()` driver inside workerd, with only `neonConfig.fetchEndpoint` differing
 * from production. Everything asserted here is what a user of the driver would notice if the
 * relay answered differently from Neon: parsed types, error fields, transaction semantics.
 *
 * Tables are this file's own (random suffix), so it depends on no migration.
 */
import { env } from "cloudflare:workers";
import { neon, neonConfig, NeonDbError } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const { DATABASE_URL, DB_RELAY_URL } = env as unknown as { DATABASE_URL: string; DB_RELAY_URL: string };

neonConfig.fetchEndpoint = (host, port) => `http://${DB_RELAY_URL}/sql`;

const sql = neon(DATABASE_URL);
const T = `http_probe_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;

/** The error a driver call rejects with (failing the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<NeonDbError> {
  try {
    await p;
  } catch (err) {
    return err as NeonDbError;
  }
  throw new Error("expected the query to fail");
}

beforeAll(async () => {
  await sql.query(`create table if not exists ${T} (
    id int primary key,
    email text constraint ${T}_email_key unique,
    qty int constraint ${T}_qty_check check (qty >= 0),
    note text,
    data bytea
  )`);
});

afterAll(async () => {
  await sql.query(`drop table if exists ${T}`);
});

describe("types: raw Postgres text, parsed by the driver", () => {
  it("numeric, int4, int8, bool, timestamptz, jsonb, arrays, bytea, null", async () => {
    const [row] = await sql`
      select 12.50::numeric as n, 7::int4 as i4, 9007199254740993::int8 as i8, true as yes, false as no,
             '2024-03-01 12:34:56.789+06'::timestamptz as ts,
             '{"a": 1, "b": [true, null], "s": "পরিচ্ছন্ন"}'::jsonb as j,
             array['x', 'y z', '', 'a,b', 'q"uote', null]::text[] as ta,
             array[1, 2, null]::int[] as ia,
             '\\x00ff10'::bytea as bytes,
             null::text as nothing`;
    expect(row!.n).toBe("12.50");
    expect(row!.i4).toBe(7);
    expect(row!.i8).toBe("9007199254740993");
    expect(row!.yes).toBe(true);
    expect(row!.no).toBe(false);
    expect(row!.ts).toBeInstanceOf(Date);
    expect((row!.ts as Date).getTime()).toBe(Date.UTC(2024, 2, 1, 6, 34, 56, 789));
    expect(row!.j).toEqual({ a: 1, b: [true, null], s: "পরিচ্ছন্ন" });
    expect(row!.ta).toEqual(["x", "y z", "", "a,b", 'q"uote', null]);
    expect(row!.ia).toEqual([1, 2, null]);
    expect(row!.bytes).toBeInstanceOf(Uint8Array);
    expect([...(row!.bytes as Uint8Array)]).toEqual([0x00, 0xff, 0x10]);
    expect(row!.nothing).toBeNull();
  });

  it("parameters round-trip: Bengali text, bytea, arrays, dates, numbers, null", async () => {
    const bengali = "পরিচ্ছন্ন ঢাকা — রাস্তায় ময়লা জমে আছে";
    const when = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 600));
    const [row] = await sql`
      select ${bengali}::text as t, char_length(${bengali}::text) as len,
             ${new Uint8Array([0, 1, 2, 255])}::bytea as b,
             ${[1, 2, 3]}::int[] as ia, ${["a,b", 'q"', "back\\slash", null]}::text[] as ta,
             ${when}::timestamptz as ts, ${42}::int as n, ${null}::text as nothing`;
    expect(row!.t).toBe(bengali);
    expect(row!.len).toBe([...bengali].length);
    expect([...(row!.b as Uint8Array)]).toEqual([0, 1, 2, 255]);
    expect(row!.ia).toEqual([1, 2, 3]);
    expect(row!.ta).toEqual(["a,b", 'q"', "back\\slash", null]);
    expect((row!.ts as Date).getTime()).toBe(when.getTime());
    expect(row!.n).toBe(42);
    expect(row!.nothing).toBeNull();

    await sql`insert into ${sql.unsafe(T)} (id, note, data) values (100, ${bengali}, ${new Uint8Array([9, 8, 7])})`;
    const [stored] = await sql`select note, data from ${sql.unsafe(T)} where id = 100`;
    expect(stored!.note).toBe(bengali);
    expect([...(stored!.data as Uint8Array)]).toEqual([9, 8, 7]);
  });
});

describe("result shapes", () => {
  it("fullResults: command, rowCount, fields with names and type OIDs", async () => {
    const full = neon(DATABASE_URL, { fullResults: true });
    const select = await full`select 1::int4 as one, 'a'::text as t, 2.5::numeric as n`;
    expect(select.command).toBe("SELECT");
    expect(select.rowCount).toBe(1);
    expect(select.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ["one", 23],
      ["t", 25],
      ["n", 1700],
    ]);
    expect(select.rows).toEqual([{ one: 1, t: "a", n: "2.5" }]);

    const insert = await full.query(`insert into ${T} (id, qty) values (200, 1), (201, 2)`);
    expect(insert.command).toBe("INSERT");
    expect(insert.rowCount).toBe(2);
    expect(insert.rows).toEqual([]);

    const update = await full.query(`update ${T} set qty = qty + 1 where id >= 200 and id <= 201`);
    expect(update.command).toBe("UPDATE");
    expect(update.rowCount).toBe(2);
  });

  it("arrayMode: rows as arrays, per function or per query", async () => {
    const arrays = neon(DATABASE_URL, { arrayMode: true });
    expect(await arrays`select 1::int as a, 'b'::text as b`).toEqual([[1, "b"]]);
    expect(await sql.query("select $1::int as a, $2::text as b", [5, "x"], { arrayMode: true })).toEqual([[5, "x"]]);
  });
});

describe("Postgres errors reach the caller with their fields", () => {
  it("unique violation: 23505 with the constraint name", async () => {
    await sql.query(`insert into ${T} (id, email) values (300, 'a@example.com')`);
    const err = await failure(sql.query(`insert into ${T} (id, email) values (301, 'a@example.com')`));
    expect(err).toBeInstanceOf(NeonDbError);
    expect(err.code).toBe("23505");
    expect(err.constraint).toBe(`${T}_email_key`);
    expect(err.table).toBe(T);
    expect(err.severity).toBe("ERROR");
    expect(err.detail).toMatch(/already exists/);
  });

  it("check violation: 23514 with the constraint name", async () => {
    const err = await failure(sql.query(`insert into ${T} (id, qty) values (302, -1)`));
    expect(err.code).toBe("23514");
    expect(err.constraint).toBe(`${T}_qty_check`);
  });

  it("a syntax error is 42601 with its position, and the relay carries on", async () => {
    const err = await failure(sql.query("selec 1"));
    expect(err.code).toBe("42601");
    expect(err.message).toMatch(/syntax error/);
    expect(err.position).toBe("1");
    expect(await sql`select 1 as ok`).toEqual([{ ok: 1 }]);
  });

  it("several statements in one query are refused, as on Neon (extended protocol)", async () => {
    const err = await failure(sql.query("select 1; select 2"));
    expect(err.code).toBe("42601");
  });
});

describe("transactions (batches)", () => {
  it("are atomic: a failing second statement leaves nothing written", async () => {
    const err = await failure(
      sql.transaction([sql`insert into ${sql.unsafe(T)} (id, qty) values (400, 1)`, sql`insert into ${sql.unsafe(T)} (id, qty) values (401, -5)`]),
    );
    expect(err.code).toBe("23514");
    expect(await sql`select count(*)::int as n from ${sql.unsafe(T)} where id in (400, 401)`).toEqual([{ n: 0 }]);
  });

  it("commit together and answer one result per statement", async () => {
    const [inserted, counted] = await sql.transaction([
      sql`insert into ${sql.unsafe(T)} (id, qty) values (410, 1), (411, 1) returning id`,
      sql`select count(*)::int as n from ${sql.unsafe(T)} where id in (410, 411)`,
    ]);
    expect(inserted).toEqual([{ id: 410 }, { id: 411 }]);
    expect(counted).toEqual([{ n: 2 }]);
  });

  it("read-only batches refuse writes (25006)", async () => {
    const err = await failure(sql.transaction([sql`insert into ${sql.unsafe(T)} (id) values (420)`], { readOnly: true }));
    expect(err.code).toBe("25006");
  });

  it("isolation level, read-only and deferrable headers become the transaction's settings", async () => {
    const [iso, ro, def] = await sql.transaction(
      [sql`show transaction_isolation`, sql`show transaction_read_only`, sql`show transaction_deferrable`],
      { isolationLevel: "Serializable", readOnly: true, deferrable: true },
    );
    expect(iso).toEqual([{ transaction_isolation: "serializable" }]);
    expect(ro).toEqual([{ transaction_read_only: "on" }]);
    expect(def).toEqual([{ transaction_deferrable: "on" }]);

    const [rr] = await sql.transaction([sql`show transaction_isolation`], { isolationLevel: "RepeatableRead" });
    expect(rr).toEqual([{ transaction_isolation: "repeatable read" }]);
    const [rc] = await sql.transaction([sql`show transaction_isolation`], { isolationLevel: "ReadCommitted" });
    expect(rc).toEqual([{ transaction_isolation: "read committed" }]);
  });

  it("a Serializable write batch works", async () => {
    await sql.transaction([sql`insert into ${sql.unsafe(T)} (id, qty) values (430, 3)`, sql`update ${sql.unsafe(T)} set qty = 4 where id = 430`], {
      isolationLevel: "Serializable",
    });
    expect(await sql`select qty from ${sql.unsafe(T)} where id = 430`).toEqual([{ qty: 4 }]);
  });

  it("a bare BEGIN sent as a single query does not leave a pooled connection inside a transaction", async () => {
    await sql.query("begin");
    await new Promise((r) => setTimeout(r, 300));
    // Inside a transaction now() stays at the transaction's start, so on a leaked connection it
    // would lag the statement's own start by the 300 ms slept above.
    const rows = await Promise.all(Array.from({ length: 20 }, () => sql`select statement_timestamp() - now() < interval '100 ms' as fresh`));
    expect(rows.flat().every((r) => r.fresh === true)).toBe(true);
  });
});

describe("under load and at the edges", () => {
  it("50 concurrent requests all succeed, each with its own answer", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => sql`select ${i}::int as i, pg_sleep(0.01)::text as slept`));
    expect(answers.map((rows) => rows[0]!.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("refuses to reach any database but its own (not an open proxy)", async () => {
    const elsewhere = new URL(DATABASE_URL);
    elsewhere.port = "1";
    const err = await failure(neon(elsewhere.toString())`select 1`);
    expect(err.message).toMatch(/HTTP status 403/);
  });

  it("malformed JSON is a 400 with a message; oversized bodies are 413", async () => {
    const post = (body: string) =>
      fetch(`http://${DB_RELAY_URL}/sql`, {
        method: "POST",
        headers: { "Neon-Connection-String": DATABASE_URL, "Neon-Raw-Text-Output": "true", "Neon-Array-Mode": "true" },
        body,
      });
    const bad = await post("{not json");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/malformed JSON/);
    const huge = await post(JSON.stringify({ query: "select $1", params: ["x".repeat(11 * 1024 * 1024)] }));
    expect(huge.status).toBe(413);
    await huge.body?.cancel();
    const wrongMethod = await fetch(`http://${DB_RELAY_URL}/sql`);
    expect(wrongMethod.status).toBe(405);
    await wrongMethod.body?.cancel();
  });
});
