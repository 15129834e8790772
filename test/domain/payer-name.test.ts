import { describe, expect, it } from 'vitest';
import { payerNameKey } from '../../src/domain/bank/payer-name';

describe('payerNameKey (D-30): a payer name as banks print it, made comparable', () => {
  it('reads one company alike in every way a bank prints it', () => {
    const ways = [
      'ｶ)ｻﾝﾌﾟﾙ', // half width, the legal form abbreviated before the name
      'カ)サンプル',
      '(ｶ)ｻﾝﾌﾟﾙ',
      'ｻﾝﾌﾟﾙ(ｶ', // after the name
      'ｻﾝﾌﾟﾙ(ｶ)',
      'ｶﾌﾞｼｷｶﾞｲｼﾔ ｻﾝﾌﾟﾙ', // spelled out
      'カブシキガイシャ　サンプル', // full width, small kana, an ideographic space
      'サンプル カブシキカイシヤ',
    ];
    expect(new Set(ways.map(payerNameKey))).toEqual(new Set(['サンプル']));
  });

  it('drops long-vowel marks and dashes, and small kana read as large', () => {
    expect(payerNameKey('ｵﾌﾟﾃｰｼﾞ')).toBe(payerNameKey('オプテジ'));
    expect(payerNameKey('ﾆｯﾎﾟﾝ ﾃﾞﾝｷ')).toBe('ニツポンデンキ');
    expect(payerNameKey('ユ)キャット')).toBe('キヤツト');
  });

  it('keeps what tells companies apart: the name itself, and the voiced marks', () => {
    expect(payerNameKey('ｶ)ｻﾝﾌﾟﾙ')).not.toBe(payerNameKey('ｶ)ｻﾝﾌﾙ'));
    expect(payerNameKey('ｶ)ｻﾝﾌﾟﾙ')).not.toBe(payerNameKey('ｶ)ｻﾝﾌﾟﾙｼﾖｳｼﾞ'));
    expect(payerNameKey('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダタロウ'); // a person: nothing to drop but the space
  });
});
