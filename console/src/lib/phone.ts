// Phone numbers as atende wants them: digits only, country code, area code,
// number ("5511987654321"); 10 to 15 digits, not starting with 0 (the
// engine's invalid_phone rule). Brazilian numbers (55) are checked further:
// a real 2-digit area code (DDD) and 8 digits, or 9 for a mobile starting
// with 9. checkPhone is called on every keystroke, so an unfinished number
// is "incomplete", not "invalid".

export type PhoneProblem =
  | 'phone.non_digit'
  | 'phone.leading_zero'
  | 'phone.too_long'
  | 'phone.br_area'
  | 'phone.br_number'
  | 'phone.br_mobile_nine';

export type PhoneHint = 'phone.hint_country' | 'phone.hint_area' | 'phone.hint_number' | 'phone.maybe_missing_country';

export interface PhoneParts {
  country: string;
  area: string;
  number: string;
}

export type PhoneCheck =
  | { state: 'empty' }
  | { state: 'incomplete'; digits: string; hint: PhoneHint; parts: Partial<PhoneParts> }
  | { state: 'invalid'; digits: string; problem: PhoneProblem }
  | { state: 'valid'; digits: string; parts: PhoneParts | null; formatted: string; warning?: PhoneHint };

/** Brazilian area codes (DDD) in use. */
const BR_AREAS = new Set([
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46,
  47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85,
  86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
]);

const MIN_DIGITS = 10;
const MAX_DIGITS = 15;

/** What people paste around a number: "+55 (11) 98765-4321". */
const DECORATION = /[\s().\-+]/g;

export function checkPhone(input: string): PhoneCheck {
  const trimmed = input.trim();
  if (trimmed === '') {
    return { state: 'empty' };
  }
  const digits = trimmed.replace(DECORATION, '');
  if (!/^\d*$/.test(digits)) {
    return { state: 'invalid', digits, problem: 'phone.non_digit' };
  }
  if (digits === '') {
    return { state: 'incomplete', digits, hint: 'phone.hint_country', parts: {} };
  }
  if (digits.startsWith('0')) {
    return { state: 'invalid', digits, problem: 'phone.leading_zero' };
  }
  if (digits.startsWith('55')) {
    return checkBrazil(digits);
  }
  if (digits.length > MAX_DIGITS) {
    return { state: 'invalid', digits, problem: 'phone.too_long' };
  }
  if (digits.length < MIN_DIGITS) {
    return { state: 'incomplete', digits, hint: 'phone.hint_number', parts: {} };
  }
  const valid: PhoneCheck = { state: 'valid', digits, parts: null, formatted: `+${digits}` };
  // 11987654321: a Brazilian DDD + mobile typed without the 55.
  if (digits.length <= 11 && BR_AREAS.has(Number(digits.slice(0, 2)))) {
    valid.warning = 'phone.maybe_missing_country';
  }
  return valid;
}

function checkBrazil(digits: string): PhoneCheck {
  const country = '55';
  const area = digits.slice(2, 4);
  const number = digits.slice(4);
  if (area.length < 2) {
    return { state: 'incomplete', digits, hint: 'phone.hint_area', parts: { country, area } };
  }
  if (!BR_AREAS.has(Number(area))) {
    return { state: 'invalid', digits, problem: 'phone.br_area' };
  }
  if (number.length > 9) {
    return { state: 'invalid', digits, problem: 'phone.too_long' };
  }
  if (number.length === 9 && number[0] !== '9') {
    return { state: 'invalid', digits, problem: 'phone.br_mobile_nine' };
  }
  if (number.length > 0 && (number[0] === '0' || number[0] === '1')) {
    return { state: 'invalid', digits, problem: 'phone.br_number' };
  }
  // 8 digits starting with 9 may be a mobile without its 9th digit, which
  // the engine accepts (the same contact); a 9 may still be coming.
  if (number.length < 8) {
    return { state: 'incomplete', digits, hint: 'phone.hint_number', parts: { country, area, number } };
  }
  const parts = { country, area, number };
  return { state: 'valid', digits, parts, formatted: formatParts(parts) };
}

/** +55 (11) 98765-4321 */
export function formatParts(parts: PhoneParts): string {
  const n = parts.number;
  const split = n.length - 4;
  return `+${parts.country} (${parts.area}) ${n.slice(0, split)}-${n.slice(split)}`;
}

/** A stored number for display: Brazilian ones split, others with a +. */
export function formatPhone(digits: string): string {
  const check = checkPhone(digits);
  if (check.state === 'valid') {
    return check.formatted;
  }
  return /^\d+$/.test(digits) ? `+${digits}` : digits;
}

/**
 * The name to show for a contact. The engine names a contact it creates
 * from a bare number (an active conversation to a new number) after the
 * number itself: show that as a formatted number, not as 13 digits.
 */
export function contactName(contact: { name: string; phone: string }): string {
  const name = contact.name.trim();
  if (name === '' || name === contact.phone || /^\+?\d+$/.test(name)) {
    return formatPhone(name === '' ? contact.phone : name.replace(/^\+/, ''));
  }
  return name;
}
