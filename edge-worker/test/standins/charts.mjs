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

// Creating a missing account from a role's picker, as each provider documents it; the stand-ins
// hook these in with one line, and serve `accounts` (the sample chart plus what was created) to
// their chart queries. Both enforce the bearer (and Xero the tenant), the required fields, and
// unique names (QBO: 400, code 6240 "Duplicate Name Exists Error"; Xero: unique Code and Name,
// 400 ValidationException).
const QBO_TYPES = ["Bank", "Accounts Receivable", "Other Current Asset", "Fixed Asset", "Other Asset", "Accounts Payable", "Credit Card",
  "Other Current Liability", "Long Term Liability", "Equity", "Income", "Cost of Goods Sold", "Expense", "Other Income", "Other Expense"];
const QBO_CLASS = { Bank: "Asset", "Accounts Receivable": "Asset", "Other Current Asset": "Asset", "Fixed Asset": "Asset", "Other Asset": "Asset",
  "Accounts Payable": "Liability", "Credit Card": "Liability", "Other Current Liability": "Liability", "Long Term Liability": "Liability",
  Equity: "Equity", Income: "Revenue", "Other Income": "Revenue", "Cost of Goods Sold": "Expense", Expense: "Expense", "Other Expense": "Expense" };
const XERO_TYPES = ["BANK", "CURRENT", "CURRLIAB", "DEPRECIATN", "DIRECTCOSTS", "EQUITY", "EXPENSE", "FIXED", "INVENTORY", "LIABILITY",
  "NONCURRENT", "OTHERINCOME", "OVERHEADS", "PREPAYMENT", "REVENUE", "SALES", "TERMLIAB", "PAYG"];
const XERO_CLASS = { BANK: "ASSET", CURRENT: "ASSET", FIXED: "ASSET", INVENTORY: "ASSET", NONCURRENT: "ASSET", PREPAYMENT: "ASSET",
  CURRLIAB: "LIABILITY", LIABILITY: "LIABILITY", TERMLIAB: "LIABILITY", PAYG: "LIABILITY", EQUITY: "EQUITY",
  REVENUE: "REVENUE", SALES: "REVENUE", OTHERINCOME: "REVENUE", DIRECTCOSTS: "EXPENSE", EXPENSE: "EXPENSE", OVERHEADS: "EXPENSE", DEPRECIATN: "EXPENSE" };
const send = (res, status, body) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(body)); };
const bearerOk = (req, access) => (access.get(String(req.headers.authorization ?? "").replace(/^Bearer /, "")) ?? 0) >= Date.now();
const parse = (body) => { try { return JSON.parse(body.toString("utf8")); } catch { return undefined; } };

export class QboChart {
  constructor(realm, access) { Object.assign(this, { realm, access, accounts: [...QBO_ACCOUNTS], created: [] }); }
  /** `POST /v3/company/{realm}/account`; true when the request was this one (and answered). */
  handle(req, url, body, res) {
    const m = url.pathname.match(/^\/v3\/company\/([^/]+)\/account$/);
    if (req.method !== "POST" || !m) return false;
    if (!bearerOk(req, this.access)) send(res, 401, { fault: { error: [{ message: "AuthenticationFailed", code: "3200" }], type: "AUTHENTICATION" } });
    else if (m[1] !== this.realm) send(res, 403, { Fault: { Error: [{ Message: "wrong realm" }] } });
    else {
      const a = parse(body);
      const invalid = (detail) => send(res, 400, { Fault: { Error: [{ Message: "Required param missing, need to supply the required value for the API", Detail: detail, code: "2020" }], type: "ValidationFault" } });
      if (!a || typeof a.Name !== "string" || !a.Name.trim()) invalid("Required parameter Name is missing in the request");
      else if (!QBO_TYPES.includes(a.AccountType)) invalid("Required parameter AccountType is missing in the request");
      else if (this.accounts.some((x) => x.Name.toLowerCase() === a.Name.toLowerCase())) {
        send(res, 400, { Fault: { Error: [{ Message: "Duplicate Name Exists Error", Detail: `The name supplied already exists. : ${a.Name}`, code: "6240", element: "" }], type: "ValidationFault" }, time: new Date().toISOString() });
      } else {
        const made = qbo(String(200 + this.created.length), a.Name, a.AccountType, a.AccountSubType, QBO_CLASS[a.AccountType]);
        this.accounts.push(made); this.created.push(made);
        send(res, 200, { Account: made, time: new Date().toISOString() });
      }
    }
    return true;
  }
}

export class XeroChart {
  constructor(tenant, access) { Object.assign(this, { tenant, access, accounts: [...XERO_ACCOUNTS], created: [] }); }
  /** `PUT /api.xro/2.0/Accounts`; true when the request was this one (and answered). */
  handle(req, url, body, res) {
    if (req.method !== "PUT" || url.pathname !== "/api.xro/2.0/Accounts") return false;
    if (!bearerOk(req, this.access)) send(res, 401, { Title: "Unauthorized", Detail: "TokenExpired" });
    else if (req.headers["xero-tenant-id"] !== this.tenant) send(res, 403, { Title: "Forbidden" });
    else {
      const a = parse(body) ?? {};
      const problem = typeof a !== "object" || Array.isArray(a) ? "Account object expected"
        : !a.Code || String(a.Code).length > 10 ? "Please enter a Code of at most 10 characters."
        : !a.Name || String(a.Name).length > 150 ? "Please enter a Name of at most 150 characters."
        : !XERO_TYPES.includes(a.Type) ? "Please select a valid account Type."
        : this.accounts.some((x) => x.Code === String(a.Code)) ? "Please enter a unique Code."
        : this.accounts.some((x) => x.Name.toLowerCase() === String(a.Name).toLowerCase()) ? "Please enter a unique Name." : null;
      if (problem) {
        send(res, 400, { ErrorNumber: 10, Type: "ValidationException", Message: "A validation exception occurred",
          Elements: [{ ...a, ValidationErrors: [{ Message: problem }] }] });
      } else {
        const made = xero(String(a.Code), a.Name, a.Type, XERO_CLASS[a.Type]);
        this.accounts.push(made); this.created.push(made);
        send(res, 200, { Id: crypto.randomUUID(), Status: "OK", ProviderName: "stand-in", DateTimeUTC: "/Date(1700000000000)/", Accounts: [made] });
      }
    }
    return true;
  }
}
