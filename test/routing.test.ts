import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fold } from '../src/text/fold';
import { CommuneFinder, nearestCommune } from '../src/routing/commune-finder';
import { parseRoutingConfig, RoutingConfigError, type RoutingConfig } from '../src/routing/config-schema';
import { decideRoute } from '../src/routing/decide';
import { classified, fixtureConfig, lineOf, toText } from './support/routing-fixture';

const ROOT = path.resolve(__dirname, '..');
const REAL = path.join(ROOT, 'data/provinces/can-tho.json');

function errorOf(text: string, fileName = 'x.json'): RoutingConfigError {
  try {
    parseRoutingConfig(text, fileName);
  } catch (e) {
    if (e instanceof RoutingConfigError) return e;
    throw e;
  }
  throw new Error('the configuration was accepted');
}
const problemsOf = (text: string) => errorOf(text).problems;

describe('routing configuration validation', () => {
  it('accepts the fixture', () => {
    const c = parseRoutingConfig(toText(fixtureConfig()), 'fixture.json');
    expect(c.communes).toHaveLength(9);
    expect(c.copyRules.map((r) => r.unit)).toContain('kiem-tra-cong-vu');
  });

  it('rejects a JSON syntax error with its line and column', () => {
    const text = toText(fixtureConfig()).replace('"code": "so-xay-dung",', '"code": "so-xay-dung"');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(lineOf(text, '"code": "so-xay-dung"') + 1);
    expect(problems[0]!.column).toBeGreaterThan(0);
    expect(problems[0]!.reason).toMatch(/invalid JSON: expected ',' or '}'/);
  });

  it('rejects a trailing comma at the comma', () => {
    const text = '{\n  "province": { "code": "x", "name": "X" },\n  "units": [\n    "a",\n  ]\n}\n';
    expect(problemsOf(text)).toEqual([{ line: 4, column: 8, reason: "invalid JSON: trailing comma before ']'" }]);
  });

  it('rejects an unknown unit code at the line where it is written, with the reason', () => {
    const config = fixtureConfig();
    config.rules[2]!.unit = 'so-xay-dungg';
    const text = toText(config);
    const err = errorOf(text, 'data/provinces/test.json');
    expect(err.problems).toEqual([
      expect.objectContaining({
        line: lineOf(text, '"so-xay-dungg"'),
        reason: 'rules[2].unit: unit "so-xay-dungg" is not defined in units',
      }),
    ]);
    expect(err.message).toBe(
      `data/provinces/test.json:${lineOf(text, '"so-xay-dungg"')}: rules[2].unit: unit "so-xay-dungg" is not defined in units`,
    );
  });

  it('reports schema and cross-check problems together, each at its line', () => {
    const config = fixtureConfig() as ReturnType<typeof fixtureConfig> & { rules: Array<Record<string, unknown>> };
    config.rules[3] = { id: 'gplx', category: 'giao_thong', keyword: ['bằng lái'], unit: 'cong-an' };
    config.communes[0]!.type = 'quan' as never;
    config.units = config.units.filter((u) => u.code !== 'ubnd-xa-thoi-lai');
    const text = toText(config);
    const reasons = problemsOf(text).map((p) => `${p.line}: ${p.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        `${lineOf(text, '"quan"')}: communes[0].type: Invalid option: expected one of "phuong"|"xa"|"dac_khu"`,
        `${lineOf(text, '"keyword"')}: rules[3].keyword: unknown key "keyword"`,
        `${lineOf(text, '"code": "xa-thoi-lai"')}: communes[7].code: no unit "ubnd-xa-thoi-lai" for this commune`,
      ]),
    );
  });

  it('refuses rules that can never fire and categories without a general rule', () => {
    const config = fixtureConfig();
    const [lanDau, general] = [config.rules[0]!, config.rules[1]!];
    config.rules[0] = general;
    config.rules[1] = lanDau;
    config.rules = config.rules.filter((r) => r.id !== 'khac');
    const reasons = problemsOf(toText(config)).map((p) => p.reason);
    expect(reasons).toContain(
      'rules[1]: rule "dat-dai-lan-dau" can never apply: the general rule "dat-dai" of dat_dai comes before it',
    );
    expect(reasons).toContain('rules: category khac has no general rule (a rule without keywords)');
  });

  it('refuses duplicate codes, duplicate keys and a triage unit that is not the hotline', () => {
    const config = fixtureConfig();
    config.units.push({ ...config.units[3]! });
    config.triage.unit = 'so-noi-vu';
    const text = toText(config).replace('"name": "Thành phố thử"', '"name": "Thành phố thử", "name": "Lặp"');
    const reasons = problemsOf(text).map((p) => p.reason);
    expect(reasons).toContain('units[18].code: code "vp-dat-dai" is used twice');
    expect(reasons).toContain('province.name: key written twice (only the last would count)');
    expect(reasons).toContain('triage.unit: the triage unit must be of type "hotline", not "department"');
  });

  it('passes for the real configuration of Cần Thơ, which is what the build script makes', () => {
    const config = parseRoutingConfig(fs.readFileSync(REAL, 'utf8'), REAL);
    expect(config.province.code).toBe('can-tho');
    expect(config.communes.length).toBeGreaterThanOrEqual(103);
    expect(config.sources.length).toBeGreaterThan(0);
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-province-config.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toMatch(/^Up to date/);
  });
});

describe('commune finder', () => {
  const config = parseRoutingConfig(toText(fixtureConfig()), 'fixture.json');
  const finder = new CommuneFinder(config.communes, config.communeMatching);
  const code = (text: string) => finder.find(text).commune?.code;

  it('reads names with or without diacritics, with or without a prefix', () => {
    expect(code('nhà ở Xã Thới Lai')).toBe('xa-thoi-lai');
    expect(code('nha o xa thoi lai')).toBe('xa-thoi-lai');
    expect(code('P.Cái Khế')).toBe('phuong-cai-khe');
    expect(code('p. cai khe')).toBe('phuong-cai-khe');
    expect(code('thoi lai')).toBe('xa-thoi-lai');
    expect(code('ở Thới Lai, Cần Thơ')).toBe('xa-thoi-lai');
    expect(code('UBND PHƯỜNG NINH KIỀU')).toBe('phuong-ninh-kieu');
    expect(code('Cái Khế'.normalize('NFD'))).toBe('phuong-cai-khe');
  });

  it('maps an old ward merged in 2025 to the new one', () => {
    expect(finder.find('tôi ở phường An Hòa cũ').commune?.code).toBe('phuong-cai-khe');
    expect(finder.find('phuong an hoa').via).toBe('former');
    expect(code('thị trấn thới lai')).toBe('xa-thoi-lai');
    expect(code('Phường 7 Vị Thanh cũ')).toBe('phuong-vi-thanh');
    expect(code('phuong VII')).toBe('phuong-vi-thanh');
  });

  it('prefers the longest name, and a current name over an old one', () => {
    expect(code('phường Thới An Đông')).toBe('phuong-thoi-an-dong');
    expect(code('phường Thới An')).toBe('phuong-o-mon');
  });

  it('gives candidates and no answer for a name two communes share', () => {
    const m = finder.find('phường Thuận An');
    expect(m.commune).toBeUndefined();
    expect(m.candidates.map((c) => c.code).sort()).toEqual(['phuong-long-my', 'phuong-thot-not']);
    // The old district written beside it settles it.
    expect(code('phường Thuận An, thị xã Long Mỹ')).toBe('phuong-long-my');
  });

  it('reads names that are ordinary words only after a prefix, and numbers only after "phường"', () => {
    expect(finder.find('cán bộ không có lương tâm').candidates).toEqual([]);
    expect(code('UBND xã Lương Tâm')).toBe('xa-luong-tam');
    expect(finder.find('chờ 7 ngày').candidates).toEqual([]);
    expect(finder.find('không có tên').candidates).toEqual([]);
  });

  it('finds the nearest centre within the distance and refuses beyond it', () => {
    expect(finder.nearest(10.046, 105.787).commune?.code).toBe('phuong-cai-khe');
    expect(finder.nearest(10.11, 105.62).commune?.code).toBe('phuong-o-mon');
    const far = nearestCommune(config.communes, 21.0278, 105.8342);
    expect(far.commune).toBeUndefined();
    expect(far.reason).toMatch(/beyond 15 km/);
    expect(finder.nearest(10.2, 105.62, 5).commune).toBeUndefined();
    expect(finder.nearest(10.2, 105.62, 15).commune?.code).toBe('phuong-o-mon');
  });

  it('finds every commune of Cần Thơ by its name written without diacritics', () => {
    const real = parseRoutingConfig(fs.readFileSync(REAL, 'utf8'), REAL);
    const realFinder = new CommuneFinder(real.communes, real.communeMatching);
    const missed = real.communes.filter((c) => realFinder.find(`toi o ${fold(c.name)}`).commune !== c);
    expect(missed.map((c) => c.name)).toEqual([]);
    const find = (text: string) => realFinder.find(text).commune?.code;
    expect(find('toi o phuong binh thuy')).toBe('phuong-binh-thuy'); // not xã Phương Bình
    expect(find('phường 1 thành phố Sóc Trăng cũ')).toBe('phuong-phu-loi');
    expect(find('xã Long Bình (thị xã Long Mỹ)')).toBe('phuong-long-binh');
    expect(find('quận Bình Thủy')).toBe('phuong-binh-thuy');
    expect(find('tỉnh Sóc Trăng')).toBeUndefined();
  });
});

describe('routing decision', () => {
  const config: RoutingConfig = parseRoutingConfig(toText(fixtureConfig()), 'fixture.json');
  const opts = { threshold: 0.6 };
  type Over = Parameters<typeof classified>[0];
  const route = (over: Over, text: string, location?: { lat: number; lon: number }, cfg = config) =>
    decideRoute(cfg, classified(over), { text, location }, opts);
  const nearCaiKhe = { lat: 10.046, lon: 105.787 };

  it('routes a commune-level matter by a commune written without diacritics', () => {
    const d = route(
      { category: 'ho_tich', kind: 'hoi_dap' },
      'lam giay khai sinh cho con o xa thoi lai can giay to gi',
    );
    expect(d).toMatchObject({ mode: 'auto', unit: 'ubnd-xa-thoi-lai', commune: 'xa-thoi-lai', communeSource: 'text' });
    expect(d).toMatchObject({ needsCommune: false, copyTo: [], rule: { id: 'ho-tich' } });
  });

  it('routes a first land certificate to the commune, found by its old name', () => {
    const d = route({ category: 'dat_dai' }, 'Xin cấp sổ đỏ lần đầu cho nhà ở phường An Hòa cũ, 3 tháng chưa có');
    expect(d).toMatchObject({ mode: 'auto', unit: 'ubnd-phuong-cai-khe', communeSource: 'text' });
    expect(d.rule).toMatchObject({ id: 'dat-dai-lan-dau', matchedKeyword: 'cấp sổ đỏ lần đầu' });
    const transfer = route({ category: 'dat_dai' }, 'sang tên sổ đỏ ở phường An Hòa');
    expect(transfer).toMatchObject({ mode: 'auto', unit: 'vp-dat-dai', commune: 'phuong-cai-khe' });
  });

  it('routes by the location pin when the text names no commune', () => {
    const d = route({ category: 'ho_tich' }, 'đăng ký khai tử cho ba', nearCaiKhe);
    expect(d).toMatchObject({
      mode: 'auto',
      unit: 'ubnd-phuong-cai-khe',
      communeSource: 'location',
      needsCommune: false,
    });
    expect(d.reason).toMatch(/location pin/);
    // What the citizen wrote wins over where the phone is.
    const named = route({ category: 'ho_tich' }, 'khai tu o xa thoi lai', nearCaiKhe);
    expect(named).toMatchObject({ unit: 'ubnd-xa-thoi-lai', communeSource: 'text' });
  });

  it('asks for the commune when none is found, and lists the candidates of an ambiguous name', () => {
    const d = route({ category: 'giao_thong' }, 'dang ky xe may moi mua', { lat: 21.03, lon: 105.83 });
    expect(d).toMatchObject({ mode: 'auto', needsCommune: true, unit: undefined, commune: undefined });
    expect(d.rule?.id).toBe('dang-ky-xe');
    expect(d.reason).toMatch(/ask the citizen/);
    const amb = route({ category: 'ho_tich' }, 'khai sinh ở phường Thuận An');
    expect(amb).toMatchObject({ needsCommune: true, unit: undefined });
    expect(amb.communeCandidates?.sort()).toEqual(['phuong-long-my', 'phuong-thot-not']);
  });

  it('uses keyword rules before the general rule of a category', () => {
    const gplx = route({ category: 'giao_thong' }, 'doi gplx qua han');
    expect(gplx).toMatchObject({ unit: 'cong-an', rule: { id: 'gplx', matchedKeyword: 'giấy phép lái xe' } });
    expect(route({ category: 'giao_thong' }, 'đường hư hỏng nặng')).toMatchObject({ rule: { id: 'giao-thong' } });
    const foreign = route({ category: 'ho_tich' }, 'kết hôn với người nước ngoài ở xã Thới Lai');
    expect(foreign).toMatchObject({ mode: 'auto', unit: 'so-tu-phap', commune: 'xa-thoi-lai', needsCommune: false });
  });

  it('copies conduct to the inspection team whatever the mode', () => {
    const conduct = { category: 'dat_dai', conduct: true } as const;
    const auto = route(conduct, 'cán bộ đòi bồi dưỡng mới làm sổ');
    expect(auto).toMatchObject({ mode: 'auto', unit: 'vp-dat-dai', copyTo: ['kiem-tra-cong-vu'] });
    expect(route({ ...conduct, p: 0.3 }, 'x')).toMatchObject({ mode: 'triage', copyTo: ['kiem-tra-cong-vu'] });
    expect(route({ ...conduct, emergency: true }, 'cháy').copyTo).toEqual(['kiem-tra-cong-vu']);
    const toCao = route({ category: 'cong_vu', kind: 'khieu_nai_to_cao', conduct: true }, 'tố cáo');
    expect(toCao.copyTo).toEqual(['kiem-tra-cong-vu', 'thanh-tra']);
    expect(route({ category: 'dat_dai' }, 'sổ đỏ').copyTo).toEqual([]);
  });

  it('sends a category below the threshold to operator triage, with the scores', () => {
    const c = classified({ category: 'dat_dai', p: 0.55 });
    const d = decideRoute(config, c, { text: 'cấp sổ đỏ lần đầu ở xã Thới Lai' }, opts);
    expect(d).toMatchObject({
      mode: 'triage',
      unit: 'tong-dai',
      rule: null,
      needsCommune: false,
      scores: c.confidence,
    });
    expect(d.reason).toMatch(/below the threshold 0\.6/);
    expect(decideRoute(config, c, { text: 'x' }, { threshold: 0.5 }).mode).toBe('auto');
    expect(route({ category: 'khac' }, 'alo')).toMatchObject({
      mode: 'triage',
      unit: 'tong-dai',
      rule: { id: 'khac' },
    });
  });

  it('puts an emergency in emergency mode, never in the triage queue', () => {
    const d = route({ kind: 'ngoai_pham_vi', emergency: true, p: 0.2 }, 'cháy nhà ở phường Cái Khế cứu với');
    expect(d).toMatchObject({ mode: 'emergency', unit: undefined, commune: 'phuong-cai-khe', rule: null });
  });

  it('routes with the real Cần Thơ configuration', () => {
    const real = parseRoutingConfig(fs.readFileSync(REAL, 'utf8'), REAL);
    const unit = (category: string, text: string) => route({ category: category as never }, text, undefined, real).unit;
    expect(unit('dat_dai', 'xin cap so do lan dau o xa thoi lai')).toBe('ubnd-xa-thoi-lai');
    expect(unit('dat_dai', 'chuyển nhượng đất 2 tháng chưa xong')).toBe('van-phong-dang-ky-dat-dai');
    expect(unit('giao_thong', 'cap lai bang lai xe')).toBe('cong-an-thanh-pho');
    expect(unit('giao_thong', 'đăng kiểm xe ô tô chờ lâu')).toBe('so-xay-dung');
    expect(unit('tu_phap', 'xin lltp mất 20 ngày')).toBe('cong-an-thanh-pho');
    expect(unit('kinh_doanh', 'dang ky hkd o phuong cai khe')).toBe('ubnd-phuong-cai-khe');
    expect(unit('kinh_doanh', 'thành lập công ty')).toBe('so-tai-chinh');
    expect(unit('lao_dong', 'trợ cấp cho người khuyết tật')).toBe('so-y-te');
    expect(unit('ho_tich', 'đăng ký kết hôn có yếu tố nước ngoài')).toBe('so-tu-phap');
    expect(unit('thue', 'quyết toán thuế tncn')).toBe('thue-thanh-pho');
    expect(route({ category: 'khac' }, 'alo', undefined, real)).toMatchObject({ mode: 'triage', unit: 'tong-dai' });
    const word = route({ category: 'ho_tich' }, 'khai sinh cho con, cán bộ không có lương tâm', undefined, real);
    expect(word).toMatchObject({ needsCommune: true });
    // Only 3 of its communes have a centre, so its configuration turns pins off rather than guess.
    const pinned = route({ category: 'ho_tich' }, 'khai sinh', { lat: 10.0333, lon: 105.7833 }, real);
    expect(pinned).toMatchObject({ needsCommune: true, reason: expect.stringMatching(/location pins are off/) });
  });
});
