// Zones whose offsets make scheduling arithmetic go wrong when it is naive: DST in either hemisphere, a half-hour
// offset, the date line (UTC+14 and UTC−11) and Lord Howe's half-hour DST.
export const TRICKY_ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
]
