import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Classifier } from '../src/classify/model';
import { normalise } from '../src/classify/normalise';
import { emergencyRule } from '../src/classify/rules';
import { chooseThreshold, coverageCurve, macroF1, classReports } from '../src/classify/metrics';

describe('normaliser', () => {
  it('recomposes NFD, lower-cases, drops punctuation and emoji, folds diacritics', () => {
    const n = normalise('Tôi muốn hỏi về SỔ BHXH!!! 😡'.normalize('NFD'));
    expect(n.text).toBe('tôi muốn hỏi về sổ bảo hiểm xã hội');
    expect(n.folded).toBe('toi muon hoi ve so bao hiem xa hoi');
  });
  it.each([
    ['ko dc j', 'khong duoc gi'],
    ['sdd nha mk', 'so do nha minh'],
    ['lam gplx', 'lam giay phep lai xe'],
    ['cccd cho be', 'can cuoc cong dan cho be'],
    ['len ubnd xa', 'len uy ban nhan dan xa'],
    ['dvc loi', 'dich vu cong loi'],
    ['dang ky hkd', 'dang ky ho kinh doanh'],
    ['thue tncn', 'thue thu nhap ca nhan'],
    ['bn tien z', 'bao nhieu tien vay'],
    ['3thang r', '3 thang roi'],
    ['mat 500k', 'mat 500 nghin'],
  ])('expands %s', (input, folded) => expect(normalise(input).folded).toBe(folded));
  it('does not expand a word the writer accented differently', () => {
    expect(normalise('cá kho').folded).toBe('ca kho');
  });
});

describe('emergency rules', () => {
  it.each([
    'chay nha o hem 5 cuu voi!!!',
    'có người té sông ở bến Ninh Kiều',
    'đánh nhau có mã tấu trước chợ',
    'ro ri khi gas trong khu tro',
  ])('flags %s', (t) => expect(emergencyRule(t)).toBe(true));
  it.each([
    'năm ngoái nhà tôi bị cháy, giờ xin cấp lại sổ đỏ',
    'xin giấy phép phòng cháy chữa cháy cho quán',
    'lãnh đạo đi họp chưa ký hồ sơ',
  ])('does not flag %s', (t) => expect(emergencyRule(t)).toBe(false));
});

describe('metrics', () => {
  it('computes per-class F1, macro-F1 and the threshold curve', () => {
    const r = classReports(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b'], ['a', 'b', 'c']);
    expect(r[0]).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(macroF1(r)).toBeCloseTo((2 / 3 + 0.8) / 2);
    const curve = coverageCurve(
      [
        { confidence: 0.9, correct: true },
        { confidence: 0.6, correct: false },
        { confidence: 0.3, correct: true },
      ],
      [0.2, 0.5, 0.8],
    );
    expect(curve.map((p) => [p.coverage, p.accuracy])).toEqual([
      [1, 2 / 3],
      [2 / 3, 0.5],
      [1 / 3, 1],
    ]);
    expect(chooseThreshold(curve, 0.97)?.threshold).toBe(0.8);
  });
});

describe('the shipped model', () => {
  const model = Classifier.load();
  it('labels with taxonomy codes and calibrated confidences', () => {
    const r = model.classify('Cho hỏi đăng ký khai sinh cho con cần giấy tờ gì ạ?');
    expect(r.category).toBe('ho_tich');
    expect(r.kind).toBe('hoi_dap');
    for (const p of Object.values(r.confidence)) expect(p).toBeGreaterThanOrEqual(0);
    expect(model.meta.routeThreshold).toBeGreaterThan(0.5);
  });
  it('understands text without diacritics and with chat abbreviations', () => {
    expect(model.classify('so do nha toi lam 4 thang chua co').category).toBe('dat_dai');
    expect(model.classify('lam cccd cho con 2 thang chua co ad oi').category).toBe('cu_tru');
  });
});

describe('batch CLI contract', () => {
  it('answers one line per input line, errors included, and nothing else', () => {
    const input = [
      '{"id":"1","text":"sổ đỏ 3 tháng chưa có"}',
      'not json',
      '{"id":"2"}',
      '',
      '{"id":3,"text":"cháy nhà cứu với"}',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../scripts/classify.ts')], {
      input,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ id: '1', category: 'dat_dai' });
    expect(Object.keys(lines[0].confidence)).toEqual(['category', 'kind', 'conduct', 'emergency']);
    expect(lines[1]).toMatchObject({ line: 2, error: { code: 'BAD_JSON' } });
    expect(lines[2]).toMatchObject({ id: '2', error: { code: 'BAD_INPUT' } });
    expect(lines[3]).toMatchObject({ id: 3, emergency: true });
  });
});
