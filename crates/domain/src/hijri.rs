//! The Hijri date shown beside the Gregorian one on formal dates (sessions, decisions,
//! missions; DESIGN.md §5).
//!
//! This is the **tabular** Islamic calendar, computed, not observed: the civil ("Friday") epoch
//! 1 Muharram 1 AH = Julian 16 July 622 = Julian Day Number 1,948,440; years of 12 months
//! alternating 30 and 29 days (odd months 30, even months 29), so 354 days, and 355 in the
//! 11 leap years of each 30-year cycle — years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26 and 29,
//! i.e. `(14 + 11·y) mod 30 < 11` — when Dhu al-Hijjah has 30 days. A 30-year cycle has
//! 10,631 days. (Reingold & Dershowitz, *Calendrical Calculations*, ch. "The Islamic
//! Calendar"; the same arithmetic as the "Kuwaiti algorithm".)
//!
//! Morocco fixes the start of each month by the sighting of the crescent, so the official date
//! may differ from this one by a day (in 2025 the tabular 1 Ramadan 1446 is 1 March; Morocco
//! began Ramadan on 2 March). Pages say that the Hijri date is computed.

use jiff::civil::Date;

/// Julian Day Number of 1 Muharram 1 AH in the civil (Friday) epoch.
const EPOCH_JDN: i64 = 1_948_440;
/// Days in one 30-year cycle: 30·354 + 11.
const CYCLE_DAYS: i64 = 10_631;

/// A date of the tabular Islamic calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HijriDate {
    /// Year (AH), 1 or more.
    pub year: i64,
    /// Month, 1 (Muharram) to 12 (Dhu al-Hijjah).
    pub month: u8,
    /// Day of the month, 1 to 30.
    pub day: u8,
}

/// Whether `year` (AH) is a leap year of the tabular calendar (355 days).
#[must_use]
pub fn is_leap_year(year: i64) -> bool {
    (14 + 11 * year).rem_euclid(30) < 11
}

/// Days in `month` of `year`: odd months 30, even months 29, Dhu al-Hijjah 30 in leap years.
#[must_use]
pub fn month_length(year: i64, month: u8) -> u8 {
    if month % 2 == 1 || (month == 12 && is_leap_year(year)) { 30 } else { 29 }
}

/// Julian Day Number of a proleptic Gregorian date (Fliegel–Van Flandern, integer arithmetic).
fn jdn_of(date: Date) -> i64 {
    let (y, m, d) = (i64::from(date.year()), i64::from(date.month()), i64::from(date.day()));
    let a = (14 - m) / 12;
    let y = y + 4800 - a;
    let m = m + 12 * a - 3;
    d + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) - 32_045
}

/// The proleptic Gregorian date of a Julian Day Number, if jiff can represent it.
fn date_of(jdn: i64) -> Option<Date> {
    let a = jdn + 32_044;
    let b = (4 * a + 3).div_euclid(146_097);
    let c = a - 146_097 * b / 4;
    let d = (4 * c + 3) / 1461;
    let e = c - 1461 * d / 4;
    let m = (5 * e + 2) / 153;
    let day = e - (153 * m + 2) / 5 + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = 100 * b + d - 4800 + m / 10;
    Date::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

impl HijriDate {
    /// The tabular Hijri date of a Gregorian date; `None` before 1 Muharram 1 AH.
    #[must_use]
    pub fn from_gregorian(date: Date) -> Option<Self> {
        let days = jdn_of(date) - EPOCH_JDN;
        if days < 0 {
            return None;
        }
        let mut year = 30 * (days / CYCLE_DAYS) + 1;
        let mut rest = days % CYCLE_DAYS;
        loop {
            let len = if is_leap_year(year) { 355 } else { 354 };
            if rest < len {
                break;
            }
            rest -= len;
            year += 1;
        }
        let mut month = 1u8;
        loop {
            let len = i64::from(month_length(year, month));
            if rest < len || month == 12 {
                break;
            }
            rest -= len;
            month += 1;
        }
        let day = u8::try_from(rest + 1).ok()?;
        Some(Self { year, month, day })
    }

    /// The Gregorian date of this Hijri date; `None` when the date does not exist (day 30 of a
    /// 29-day month, month 13, year 0) or is beyond jiff's range.
    #[must_use]
    pub fn to_gregorian(self) -> Option<Date> {
        if self.year < 1
            || !(1..=12).contains(&self.month)
            || self.day < 1
            || self.day > month_length(self.year, self.month)
        {
            return None;
        }
        let (y, m) = (self.year, i64::from(self.month));
        let jdn =
            i64::from(self.day) + (59 * (m - 1) + 1) / 2 + (y - 1) * 354 + (3 + 11 * y).div_euclid(30) + EPOCH_JDN - 1;
        date_of(jdn)
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn h(year: i64, month: u8, day: u8) -> Option<HijriDate> {
        Some(HijriDate { year, month, day })
    }

    /// The demo mission's first day, by the tabular civil algorithm of the module: JDN
    /// 2,460,724 − 1,948,440 = 512,284 days = 48 cycles (1,440 years, 510,288 days) + 1,996;
    /// the years 1441–1445 (1442 and 1445 leap) take 1,772 days, leaving 224 days of 1446 =
    /// 7 months (207 days) + 17 days: day 18 of month 8, Sha'ban.
    #[test]
    fn the_17th_of_february_2025_is_18_shaban_1446() {
        assert_eq!(HijriDate::from_gregorian(date(2025, 2, 17)), h(1446, 8, 18));
        assert_eq!(HijriDate::from_gregorian(date(2025, 2, 19)), h(1446, 8, 20));
    }

    /// The tabular calendar starts Ramadan 1446 on 1 March 2025; Morocco's official
    /// observation started it on 2 March. The computed value is pinned, not the observed one.
    #[test]
    fn the_1st_of_march_2025_is_tabular_1_ramadan_1446() {
        assert_eq!(HijriDate::from_gregorian(date(2025, 3, 1)), h(1446, 9, 1));
        assert_eq!(HijriDate::from_gregorian(date(2025, 2, 28)), h(1446, 8, 29));
    }

    #[test]
    fn the_epoch_and_known_tabular_dates() {
        // Julian 16 July 622 = Gregorian 19 July 622.
        assert_eq!(HijriDate::from_gregorian(date(622, 7, 19)), h(1, 1, 1));
        assert_eq!(HijriDate::from_gregorian(date(622, 7, 18)), None);
        assert_eq!(HijriDate::from_gregorian(date(2000, 1, 1)), h(1420, 9, 24));
        // 1445 is a leap year (1445 mod 30 = 5): Dhu al-Hijjah has 30 days.
        assert_eq!(HijriDate::from_gregorian(date(2024, 7, 7)), h(1445, 12, 30));
        assert_eq!(HijriDate::from_gregorian(date(2024, 7, 8)), h(1446, 1, 1));
        // The demo's second session.
        assert_eq!(HijriDate::from_gregorian(date(2025, 11, 18)), h(1447, 5, 27));
    }

    #[test]
    fn leap_years_are_2_5_7_10_13_16_18_21_24_26_29_of_each_cycle() {
        let leap: Vec<i64> = (1..=30).filter(|y| is_leap_year(*y)).collect();
        assert_eq!(leap, vec![2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29]);
        assert!(is_leap_year(1445) && !is_leap_year(1446) && is_leap_year(1447) && !is_leap_year(1448));
        let cycle: i64 = (1..=30).map(|y| (1..=12).map(|m| i64::from(month_length(y, m))).sum::<i64>()).sum();
        assert_eq!(cycle, CYCLE_DAYS);
    }

    #[test]
    fn impossible_hijri_dates_have_no_gregorian_date() {
        assert_eq!(HijriDate { year: 1446, month: 2, day: 30 }.to_gregorian(), None);
        assert_eq!(HijriDate { year: 1446, month: 12, day: 30 }.to_gregorian(), None);
        assert_eq!(HijriDate { year: 1446, month: 13, day: 1 }.to_gregorian(), None);
        assert_eq!(HijriDate { year: 0, month: 1, day: 1 }.to_gregorian(), None);
    }

    #[test]
    fn every_day_from_1900_to_2100_converts_there_and_back_one_day_at_a_time() {
        let mut day = date(1900, 1, 1);
        let mut prev = HijriDate::from_gregorian(day).unwrap();
        while day < date(2100, 1, 1) {
            day = day.tomorrow().unwrap();
            let hd = HijriDate::from_gregorian(day).unwrap();
            assert_eq!(hd.to_gregorian(), Some(day), "{day}");
            // Consecutive days: next day of the month, or day 1 of the next month.
            let expected = if prev.day < month_length(prev.year, prev.month) {
                HijriDate { day: prev.day + 1, ..prev }
            } else if prev.month < 12 {
                HijriDate { year: prev.year, month: prev.month + 1, day: 1 }
            } else {
                HijriDate { year: prev.year + 1, month: 1, day: 1 }
            };
            assert_eq!(hd, expected, "{day}");
            prev = hd;
        }
    }
}
