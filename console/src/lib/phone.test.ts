import { describe, expect, it } from 'vitest';
import { checkPhone, contactName, formatPhone } from './phone';

describe('checkPhone', () => {
  it('EmptyIsNeitherValidNorAnError', () => {
    expect(checkPhone('  ').state).toBe('empty');
  });

  it('BrazilianMobileWithNineDigitsIsValid', () => {
    const c = checkPhone('5511987654321');
    expect(c).toMatchObject({ state: 'valid', digits: '5511987654321', parts: { country: '55', area: '11', number: '987654321' } });
    expect(c.state === 'valid' && c.formatted).toBe('+55 (11) 98765-4321');
  });

  it('BrazilianLandlineWithEightDigitsIsValid', () => {
    const c = checkPhone('551133334444');
    expect(c).toMatchObject({ state: 'valid', parts: { area: '11', number: '33334444' } });
    expect(c.state === 'valid' && c.formatted).toBe('+55 (11) 3333-4444');
  });

  it('MobileWithoutItsNinthDigitIsAccepted', () => {
    expect(checkPhone('553188887777').state).toBe('valid');
  });

  it('DecorationIsStripped', () => {
    expect(checkPhone('+55 (31) 98888-7777')).toMatchObject({ state: 'valid', digits: '5531988887777' });
  });

  it('NumbersBeingTypedAreIncompleteWithAHint', () => {
    expect(checkPhone('5')).toMatchObject({ state: 'incomplete', hint: 'phone.hint_number' });
    expect(checkPhone('55')).toMatchObject({ state: 'incomplete', hint: 'phone.hint_area' });
    expect(checkPhone('551')).toMatchObject({ state: 'incomplete', hint: 'phone.hint_area' });
    expect(checkPhone('5511')).toMatchObject({ state: 'incomplete', hint: 'phone.hint_number' });
    expect(checkPhone('55119876')).toMatchObject({ state: 'incomplete', hint: 'phone.hint_number' });
  });

  it('UnknownBrazilianAreaIsInvalid', () => {
    expect(checkPhone('552098765432')).toMatchObject({ state: 'invalid', problem: 'phone.br_area' });
    expect(checkPhone('5510')).toMatchObject({ state: 'invalid', problem: 'phone.br_area' });
  });

  it('NineDigitNumberMustBeAMobileStartingWithNine', () => {
    expect(checkPhone('5511887654321')).toMatchObject({ state: 'invalid', problem: 'phone.br_mobile_nine' });
  });

  it('BrazilianNumberTooLongIsInvalid', () => {
    expect(checkPhone('55119876543210')).toMatchObject({ state: 'invalid', problem: 'phone.too_long' });
  });

  it('BrazilianNumberStartingWithZeroOrOneIsInvalid', () => {
    expect(checkPhone('551103334444')).toMatchObject({ state: 'invalid', problem: 'phone.br_number' });
  });

  it('LettersAreRefused', () => {
    expect(checkPhone('55119abc')).toMatchObject({ state: 'invalid', problem: 'phone.non_digit' });
  });

  it('LeadingZeroIsRefused', () => {
    expect(checkPhone('011987654321')).toMatchObject({ state: 'invalid', problem: 'phone.leading_zero' });
  });

  it('OtherCountriesNeedTenToFifteenDigits', () => {
    expect(checkPhone('14155550100')).toMatchObject({ state: 'valid', formatted: '+14155550100', parts: null });
    expect(checkPhone('351912')).toMatchObject({ state: 'incomplete' });
    expect(checkPhone('3519123456789012')).toMatchObject({ state: 'invalid', problem: 'phone.too_long' });
  });

  it('BrazilianNumberWithoutCountryCodeIsFlagged', () => {
    expect(checkPhone('11987654321')).toMatchObject({ state: 'valid', warning: 'phone.maybe_missing_country' });
  });
});

describe('formatPhone', () => {
  it('FormatsStoredNumbers', () => {
    expect(formatPhone('5511987654321')).toBe('+55 (11) 98765-4321');
    expect(formatPhone('14155550100')).toBe('+14155550100');
  });
});

describe('contactName', () => {
  it('IsTheNameWhenTheContactHasOne', () => {
    expect(contactName({ name: 'Maria Souza', phone: '5531988887777' })).toBe('Maria Souza');
  });

  it('IsTheFormattedNumberWhenTheEngineNamedTheContactAfterIt', () => {
    expect(contactName({ name: '5521977776666', phone: '5521977776666' })).toBe('+55 (21) 97777-6666');
    expect(contactName({ name: '', phone: '5521977776666' })).toBe('+55 (21) 97777-6666');
  });
});
