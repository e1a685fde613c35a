//! Customers: the searchable list and one customer's page.

mod detail;
mod intelligence;
mod list;

pub use detail::CustomerPage;
pub use list::CustomersPage;

/// 12345 cents → "$123.45" (amounts are shown in the account's main currency symbol-free
/// form when the currency is not USD: "123.45 EUR").
pub fn money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    let grouped = crate::components::ui::group((c / 100) as i64);
    if currency == "USD" {
        format!("{sign}${grouped}.{:02}", c % 100)
    } else {
        format!("{sign}{grouped}.{:02} {currency}", c % 100)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_is_grouped_and_exact() {
        assert_eq!(super::money(1234567, "USD"), "$12,345.67");
        assert_eq!(super::money(-5, "USD"), "-$0.05");
        assert_eq!(super::money(5900, "EUR"), "59.00 EUR");
    }
}
