/// What a business-registry export says about a company beyond its names and codes: legal
/// representative, capital, industry, where it is registered and what it may do.
///
/// Kept apart from `Enterprise`'s own fields and stored behind one reference there: most
/// records (and every generated one) have none of it, and nine inline optionals would more
/// than double the size of a million-row registry.
public struct Registration: Codable, Hashable, Sendable {
    /// 法定代表人: the legal representative.
    public var legalRepresentative: String?
    /// 注册资本: registered capital.
    public var registeredCapital: Money?
    /// 实缴资本: paid-in capital.
    public var paidInCapital: Money?
    /// 所属行业: the registry's industry classification (not Valley's sectors).
    public var industry: String?
    /// 所属省份.
    public var province: String?
    /// 所属城市.
    public var city: String?
    /// 所属区县.
    public var district: String?
    /// 企业地址: the registered address.
    public var address: String?
    /// 经营范围: the business scope.
    public var businessScope: String?

    /// Creates registration details; all fields are optional.
    public init(legalRepresentative: String? = nil, registeredCapital: Money? = nil, paidInCapital: Money? = nil,
                industry: String? = nil, province: String? = nil, city: String? = nil, district: String? = nil,
                address: String? = nil, businessScope: String? = nil) {
        self.legalRepresentative = legalRepresentative
        self.registeredCapital = registeredCapital
        self.paidInCapital = paidInCapital
        self.industry = industry
        self.province = province
        self.city = city
        self.district = district
        self.address = address
        self.businessScope = businessScope
    }

    /// True when no field has a value.
    public var isEmpty: Bool { self == Registration() }
}

/// An amount of money as a registry writes it (`1,000万元人民币`): the amount in the unit
/// written, the unit's multiplier, the currency, and the text itself.
public struct Money: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The number as written, in `unit`s (1000 for `1,000万元`).
    public var amount: Double
    /// The unit word: `万` (10⁴), `亿` (10⁸), or nil for plain currency units.
    public var unit: String?
    /// ISO 4217 code: `CNY`, `USD`, `HKD`, `EUR`, `JPY`, `GBP`.
    public var currency: String
    /// The text the value was read from.
    public var text: String

    /// Creates an amount.
    public init(amount: Double, unit: String? = nil, currency: String, text: String) {
        self.amount = amount
        self.unit = unit
        self.currency = currency
        self.text = text
    }

    /// The amount in whole currency units (`1,000万元` → 10,000,000).
    public var value: Double {
        switch unit {
        case "万": return amount * 10_000
        case "亿": return amount * 100_000_000
        default: return amount
        }
    }

    /// The text as read.
    public var description: String { text }
}

/// Heap storage for a value most records lack: one reference in the record instead of the
/// value's whole size inline. Immutable, so copies share it safely.
public struct Boxed<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    @usableFromInline final class Storage: Sendable {
        @usableFromInline let value: Value
        init(_ value: Value) { self.value = value }
    }

    @usableFromInline let storage: Storage

    /// Boxes a value.
    public init(_ value: Value) { storage = Storage(value) }

    /// The value.
    @inlinable public var value: Value { storage.value }

    public init(from decoder: any Decoder) throws { storage = Storage(try Value(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try storage.value.encode(to: encoder) }
    public static func == (lhs: Boxed, rhs: Boxed) -> Bool { lhs.storage === rhs.storage || lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { value.hash(into: &hasher) }
}
