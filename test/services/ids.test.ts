import { describe, expect, it } from 'vitest';
import { newId } from '../../electron/services/ids';

describe('newId', () => {
  it('gives distinct, file-name-safe ids across refills of its random pool', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    const ids = Array.from({ length: 5000 }, () => newId('ev', now)); // 5,000 × 4 bytes: the 4 KiB pool refills
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^ev_20261204_[0-9a-z]+[0-9a-f]{8}$/);
  });
});
