import { describe, expect, it } from 'vitest';
import { RULE, articleOf, ruleInEnglish } from '../../src/domain/rules';

describe('references in English (one RULE key, both languages)', () => {
  it.each([
    ['第27条', 'Art. 27'],
    ['第11条2項', 'Art. 11-2'],
    ['第29条1項4号', 'Art. 29-1-4'],
    ['別表3', 'Appendix 3'],
    ['別表3§3 D-11', 'Appendix 3 §3 D-11'],
    ['第18条 D-14', 'Art. 18 D-14'],
    ['第8条・第9条', 'Art. 8, Art. 9'],
    ['第12条2項・第8条', 'Art. 12-2, Art. 8'],
    ['D-1', 'D-1'],
  ])('%s → %s', (ja, en) => {
    expect(ruleInEnglish(ja)).toBe(en);
  });

  it('renders every RULE value without a Japanese article mark left', () => {
    for (const [key, ref] of Object.entries(RULE)) expect(ruleInEnglish(ref), key).not.toMatch(/[第条項号別表・]/);
  });
});

describe('the article of a reference, without the decisions', () => {
  it.each([
    ['第18条 D-14', '第18条'],
    ['第11条2項 D-4 D-5', '第11条2項'],
    ['別表3§3 D-11', '別表3§3'],
    ['第28条', '第28条'],
    ['D-1', ''],
  ])('%s → %s', (ref, article) => {
    expect(articleOf(ref)).toBe(article);
  });
});
