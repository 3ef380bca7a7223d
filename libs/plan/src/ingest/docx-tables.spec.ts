import { docxTables } from './docx-tables';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const p = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const tc = (text: string, props = '') => `<w:tc><w:tcPr>${props}</w:tcPr>${p(text)}</w:tc>`;
const doc = (body: string) => `<?xml version="1.0"?><w:document ${W}><w:body>${body}</w:body></w:document>`;

describe('docxTables', () => {
  it('reads the cells of a table, the paragraphs before it, and entities', () => {
    const [table] = docxTables(
      doc(
        p('海淀区2026年任务分工表') +
          `<w:tbl><w:tr>${tc('序号')}${tc('任务')}</w:tr><w:tr>${tc('1')}${tc('A &amp; B')}</w:tr></w:tbl>` +
          p('区政府办公室'),
      ),
    );
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['序号', '任务'],
      ['1', 'A & B'],
    ]);
    expect(table.before).toEqual(['海淀区2026年任务分工表']);
  });

  it('keeps a row spanning every column as one cell, and carries a vertical merge down', () => {
    const [table] = docxTables(
      doc(
        '<w:tbl>' +
          `<w:tr>${tc('一、科技创新', '<w:gridSpan w:val="3"/>')}</w:tr>` +
          `<w:tr>${tc('1')}${tc('区科信局', '<w:vMerge w:val="restart"/>')}${tc('年底前')}</w:tr>` +
          `<w:tr>${tc('2')}${tc('', '<w:vMerge/>')}${tc('6月底前')}</w:tr>` +
          '</w:tbl>',
      ),
    );
    expect(table.rows).toEqual([
      { cells: ['一、科技创新', '', ''], spansAll: true },
      { cells: ['1', '区科信局', '年底前'], spansAll: false },
      { cells: ['2', '区科信局', '6月底前'], spansAll: false },
    ]);
  });

  it('reads a table nested in a cell as that cell’s text, not as a table of its own', () => {
    const inner = `<w:tbl><w:tr>${tc('内')}</w:tr></w:tbl>`;
    const tables = docxTables(doc(`<w:tbl><w:tr><w:tc>${p('外')}${inner}</w:tc></w:tr></w:tbl>`));
    expect(tables).toHaveLength(1);
    expect(tables[0].rows[0].cells[0]).toBe('外\n内');
  });
});
