// Charts of accounts as the stand-ins serve them: the shapes of a QBO `select * from Account`
// answer (Finance.xsd Account: Id, Name, AccountType, AccountSubType, Classification, Active) and a
// Xero `GET /api.xro/2.0/Accounts` answer (Account: AccountID, Code, Name, Type, Class, Status),
// with the accounts of their sample companies a shop would map to, an inactive/archived one and a
// QBO non-posting one (which no role may use).
const qbo = (Id, Name, AccountType, AccountSubType, Classification, Active = true) =>
  ({ Id, Name, FullyQualifiedName: Name, AccountType, AccountSubType, Classification, Active, CurrencyRef: { value: "USD" }, domain: "QBO", sparse: false, SyncToken: "0" });

export const QBO_ACCOUNTS = [
  qbo("35", "Checking", "Bank", "Checking", "Asset"),
  qbo("4", "Undeposited Funds", "Other Current Asset", "UndepositedFunds", "Asset"),
  qbo("81", "Shopify Payments Clearing", "Other Current Asset", "OtherCurrentAssets", "Asset"),
  qbo("84", "Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable", "Asset"),
  qbo("82", "Inventory Asset", "Other Current Asset", "Inventory", "Asset"),
  qbo("79", "Sales of Product Income", "Income", "SalesOfProductIncome", "Revenue"),
  qbo("83", "Shipping Income", "Income", "OtherPrimaryIncome", "Revenue"),
  qbo("86", "Discounts given", "Income", "DiscountsRefundsGiven", "Revenue"),
  qbo("87", "Old Sales (inactive)", "Income", "SalesOfProductIncome", "Revenue", false),
  qbo("80", "Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs", "Expense"),
  qbo("8", "Bank Charges", "Expense", "BankCharges", "Expense"),
  qbo("9", "Commissions & fees", "Expense", "CommissionsAndFees", "Expense"),
  qbo("89", "Sales Tax Payable", "Other Current Liability", "SalesTaxPayable", "Liability"),
  qbo("90", "Gift Card Liability", "Other Current Liability", "OtherCurrentLiabilities", "Liability"),
  qbo("41", "Visa", "Credit Card", "CreditCard", "Liability"),
  qbo("34", "Opening Balance Equity", "Equity", "OpeningBalanceEquity", "Equity"),
  qbo("91", "Purchase Orders", "Non-Posting", "PurchaseOrders", "Asset"),
];

const xero = (Code, Name, Type, Class, Status = "ACTIVE") =>
  ({ AccountID: `acc-${Code}`, Code, Name, Type, Class, Status, TaxType: "NONE", EnablePaymentsToAccount: false, ShowInExpenseClaims: false, ReportingCode: Class.slice(0, 3), UpdatedDateUTC: "/Date(1700000000000+0000)/" });

export const XERO_ACCOUNTS = [
  xero("090", "Business Bank Account", "BANK", "ASSET"),
  xero("610", "Accounts Receivable", "CURRENT", "ASSET"),
  xero("615", "Shopify Payments Clearing", "CURRENT", "ASSET"),
  xero("630", "Inventory", "INVENTORY", "ASSET"),
  xero("200", "Sales", "REVENUE", "REVENUE"),
  xero("260", "Other Revenue", "REVENUE", "REVENUE"),
  xero("205", "Old Sales", "SALES", "REVENUE", "ARCHIVED"),
  xero("310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE"),
  xero("404", "Bank Fees", "OVERHEADS", "EXPENSE"),
  xero("820", "Sales Tax", "CURRLIAB", "LIABILITY"),
  xero("825", "Gift Cards Outstanding", "CURRLIAB", "LIABILITY"),
  xero("860", "Rounding", "CURRLIAB", "LIABILITY"),
  xero("970", "Owner A Funds Introduced", "EQUITY", "EQUITY"),
];
