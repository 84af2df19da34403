/**
 * `tokenops mcp` driven by the MCP SDK's own client over stdio: list the tools, drive a complete run to
 * a signed bundle and a partial run to an exception ticket. The client validates every structured
 * result against the tool's output schema (our document schemas); paths outside --allow are refused.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { documentId } from '../../shared/schemas/documents';
import { ROOT, SAMPLE, SAMPLE_EVIDENCE, assertCliBuilt, cleanupTemps, tempDir } from './helpers';

let home: string;
let work: string;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(cleanupTemps);

beforeAll(async () => {
  assertCliBuilt();
  home = await tempDir('tokenops-mcp-home-');
  work = await tempDir('tokenops-mcp-work-');
  await fs.cp(SAMPLE_EVIDENCE, path.join(work, 'evidence'), { recursive: true });
});

async function connect(allow: string[], dataFolder = home): Promise<Client> {
  const { TOKENOPS_HOME: _ignored, ...env } = process.env as Record<string, string>;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(ROOT, 'bin', 'tokenops.js'), 'mcp', '--home', dataFolder, ...allow.flatMap((d) => ['--allow', d])],
    env,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'tokenops-test-agent', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** Calls a tool and returns its structured document (the SDK client has checked it against the schema). */
async function call(client: Client, name: string, args: Record<string, unknown>) {
  const r = await client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
  return r.structuredContent as Record<string, any>;
}

describe('tokenops mcp', () => {
  it('lists the whole flow as tools, each with input and output schemas', async () => {
    const client = await connect([work]);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'manifest',
        'run_create',
        'evidence_add',
        'evidence_paste',
        'evaluate',
        'package',
        'verify',
        'receipts',
        'exceptions',
        'replay',
        'callback_send',
      ]),
    );
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(t.description!.length, t.name).toBeGreaterThan(10);
    }
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['tokenops://manifest', 'tokenops://schemas/tokenops_review']),
    );
  });

  it('drives a complete run to a signed bundle that zip tools and verify accept', async () => {
    const client = await connect([work]);
    const created = await call(client, 'run_create', { title: 'agent run' });
    expect(created.$schema).toBe(documentId('run_view'));
    const runId = created.run.run_id as string;
    const added = await call(client, 'evidence_add', { run_id: runId, paths: [path.join(work, 'evidence')] });
    expect(added.report.added_files.length).toBe(8);
    const review = await call(client, 'evaluate', { run_id: runId });
    expect(review.$schema).toBe(documentId('tokenops_review'));
    expect(review.evidence_status).toBe('sufficient');

    const out = path.join(work, 'agent-run.zip');
    const record = await call(client, 'package', { run_id: runId, out_path: out });
    expect(record.$schema).toBe(documentId('operating_record'));
    expect(record.packaged).toBe(true);
    expect(record.usage_receipt.remaining_credits).toBeTypeOf('number');
    expect(execFileSync('unzip', ['-tq', out], { encoding: 'utf8' })).toMatch(/No errors detected/);

    const verified = await call(client, 'verify', { path: out });
    expect(verified.ok).toBe(true);
    expect(verified.signer_trusted).toBe(true);

    // The run's review is also a resource.
    const res = await client.readResource({ uri: `tokenops://runs/${runId}/review` });
    expect(JSON.parse((res.contents[0] as { text: string }).text).evidence_status).toBe('sufficient');
  });

  it('drives a partial run to an exception ticket and a replay package', async () => {
    const client = await connect([work]);
    const runId = (await call(client, 'run_create', { title: 'short run' })).run.run_id as string;
    const settlement = await fs.readFile(path.join(SAMPLE_EVIDENCE, SAMPLE.settlementReference), 'utf8');
    await call(client, 'evidence_paste', { run_id: runId, text: settlement });
    const record = await call(client, 'package', { run_id: runId });
    expect(record.packaged).toBe(false);
    expect(record.exception_ticket.ticket_id).toMatch(/\S/);
    expect(record.exception_ticket.missing_items.length).toBeGreaterThan(0);
    expect(record.replay_package).not.toBeNull();
    const tickets = await call(client, 'exceptions', { run_id: runId });
    expect(tickets.exceptions.map((t: { ticket_id: string }) => t.ticket_id)).toContain(
      record.exception_ticket.ticket_id,
    );
  });

  it('refuses paths outside --allow and inside the data folder, and bad input, with a readable error', async () => {
    const client = await connect([work]);
    const runId = (await call(client, 'run_create', {})).run.run_id as string;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['evidence_add', { run_id: runId, paths: ['/etc/hostname'] }, /outside the folders this server may use/],
      ['evidence_add', { run_id: runId, paths: [path.join(home, 'keys')] }, /data folder|outside the folders/],
      ['package', { run_id: runId, out_path: path.join(home, 'keys', 'signing-key.pem') }, /data folder|outside/],
      ['evidence_add', { run_id: runId }, /Invalid input for evidence_add.*paths/],
      ['no_such_tool', {}, /No tool "no_such_tool"/],
    ];
    for (const [name, args, message] of cases) {
      const r = await client.callTool({ name, arguments: args });
      expect(r.isError, name).toBe(true);
      const doc = JSON.parse((r.content as Array<{ text: string }>)[0]!.text);
      expect(doc.$schema).toBe(documentId('error'));
      expect(doc.error.message).toMatch(message);
    }
    // A server started without --allow may use no path at all (its own home: one writer per home).
    const closed = await connect([], await tempDir('tokenops-mcp-home2-'));
    const r = await closed.callTool({ name: 'verify', arguments: { path: path.join(work, 'agent-run.zip') } });
    expect(JSON.parse((r.content as Array<{ text: string }>)[0]!.text).error.message).toMatch(/--allow DIR/);
  });
});
