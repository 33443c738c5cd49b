import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing';
import { chosenPdfPath, defaultPdfPath, pdfFileName, REPORT_PDF_OPTIONS, saveReportPdf, type SavePdfSteps } from './reportPdf';

describe('report PDF file name', () => {
  it('keeps a plan name readable, CJK included', () => {
    expect(pdfFileName('全域智投·秋冬新品拿铁 Autumn Latte Smart Delivery')).toBe('全域智投·秋冬新品拿铁 Autumn Latte Smart Delivery.pdf');
  });

  it('replaces separators, reserved and control characters; trims dots and spaces', () => {
    expect(pdfFileName('../../etc/passwd')).toBe('etc-passwd.pdf');
    expect(pdfFileName('a\\b:c*d?e"f<g>h|i')).toBe('a-b-c-d-e-f-g-h-i.pdf');
    expect(pdfFileName('  tab\there\nnewline\u0007  ')).toBe('tab-here-newline.pdf');
    expect(pdfFileName('...hidden...')).toBe('hidden.pdf');
    expect(pdfFileName('双11 / 618')).toBe('双11 - 618.pdf');
  });

  it('never gives an empty or reserved device name', () => {
    expect(pdfFileName('')).toBe('forecast.pdf');
    expect(pdfFileName('///')).toBe('forecast.pdf');
    expect(pdfFileName('CON')).toBe('CON-forecast.pdf');
    expect(pdfFileName('lpt1')).toBe('lpt1-forecast.pdf');
  });

  it('stays within 200 bytes of UTF-8 without splitting a character', () => {
    const name = pdfFileName('拿'.repeat(100));
    const stem = name.slice(0, -4);
    expect(Buffer.byteLength(stem)).toBeLessThanOrEqual(200);
    expect(stem).toBe('拿'.repeat(66));
    expect(Buffer.byteLength(pdfFileName('a'.repeat(500)))).toBe(204);
  });
});

describe('report PDF path and options', () => {
  it('suggests the documents folder and honours the user’s choice', () => {
    expect(defaultPdfPath('/home/am/Documents', 'Plan: A/B')).toBe(path.join('/home/am/Documents', 'Plan- A-B.pdf'));
    expect(chosenPdfPath({ canceled: true, filePath: '/x/y.pdf' })).toBeNull();
    expect(chosenPdfPath({ canceled: false, filePath: '' })).toBeNull();
    expect(chosenPdfPath({ canceled: false })).toBeNull();
    expect(chosenPdfPath({ canceled: false, filePath: '/x/report' })).toBe('/x/report.pdf');
    expect(chosenPdfPath({ canceled: false, filePath: '/x/report.PDF' })).toBe('/x/report.PDF');
  });

  it('prints A4 with backgrounds and the stylesheet’s 12 mm page margins', () => {
    expect(REPORT_PDF_OPTIONS.pageSize).toBe('A4');
    expect(REPORT_PDF_OPTIONS.printBackground).toBe(true);
    expect(REPORT_PDF_OPTIONS.preferCSSPageSize).toBe(true);
    expect(REPORT_PDF_OPTIONS.margins.top * 25.4).toBeCloseTo(12);
    // The stylesheet's @page rule is what preferCSSPageSize defers to.
    const css = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'renderer', 'src', 'features', 'forecast', 'forecast.css'), 'utf8');
    expect(css).toMatch(/@page\s*{\s*size:\s*A4;\s*margin:\s*12mm;\s*}/);
  });
});

describe('saving the report', () => {
  const bytes = new TextEncoder().encode('%PDF-1.7 the printed report');
  const steps = (answer: { canceled: boolean; filePath?: string }, log: string[]): SavePdfSteps => ({
    print: async () => {
      log.push('print');
      return bytes;
    },
    ask: async (defaultPath) => {
      log.push(`ask ${path.basename(defaultPath)}`);
      return answer;
    },
    write: async (file, b) => {
      log.push('write');
      await fs.promises.writeFile(file, b);
    },
  });

  it('prints, asks, then writes the bytes where the user chose', async () => {
    const dir = tempDir('lantern-pdf-');
    const log: string[] = [];
    const r = await saveReportPdf(steps({ canceled: false, filePath: path.join(dir, 'brand deck') }, log), 'Autumn Latte', '/docs');
    expect(r).toEqual({ ok: true, value: { status: 'saved', path: path.join(dir, 'brand deck.pdf') } });
    expect(log).toEqual(['print', 'ask Autumn Latte.pdf', 'write']);
    expect(fs.readFileSync(path.join(dir, 'brand deck.pdf')).toString('latin1')).toBe('%PDF-1.7 the printed report');
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const dir = tempDir('lantern-pdf-');
    const log: string[] = [];
    expect(await saveReportPdf(steps({ canceled: true }, log), 'x', dir)).toEqual({ ok: true, value: { status: 'cancelled' } });
    expect(log).toEqual(['print', 'ask x.pdf']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('says which step failed: printing (no dialog shown) or writing', async () => {
    const log: string[] = [];
    const failingPrint = { ...steps({ canceled: false, filePath: '/x.pdf' }, log), print: () => Promise.reject(new Error('render process gone')) };
    const r = await saveReportPdf(failingPrint, 'x', '/docs');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/could not be printed to PDF: render process gone/);
    expect(log).toEqual([]);

    const missing = path.join(tempDir('lantern-pdf-'), 'no', 'such', 'dir', 'r.pdf');
    const w = await saveReportPdf(steps({ canceled: false, filePath: missing }, []), 'x', '/docs');
    expect(!w.ok && w.error.message).toContain(`could not be saved to ${missing}`);
  });
});
