import ValleyCore

/// The logistics plugin's part of the built-in data: the two seed profiles and documented
/// Hong Kong ↔ Nanjing routes, every assumed duration marked as an assumption.
enum LogisticsDefaultData {
    static func contribute(to model: inout ClusterModel) throws {
        try model.insert(contentsOf: [
            CargoProfile(id: "apheresis-fresh", name: "fresh blood sample (leukapheresis) for CAR-T", state: .fresh,
                         minimumCelsius: 2, maximumCelsius: 8, maximumDuration: .hours(72), contractWindow: .hours(30),
                         shipperHold: .hours(30), holdMargin: .hours(2), xRayForbidden: true,
                         sources: ["xinmin-2025", "seed-chinaorg-2025", "pudong-customs-mirror-2025"],
                         assumptions: ["hold margin 2h"]),
            CargoProfile(id: "car-t-product-cryo", name: "finished CAR-T product (cryopreserved)", state: .cryopreserved,
                         minimumCelsius: nil, maximumCelsius: -150, maximumDuration: .hours(120), contractWindow: .hours(144),
                         shipperHold: .hours(240), holdMargin: .hours(48), xRayForbidden: true,
                         sources: ["xinmin-2025", "seed-chinaorg-2025", "shipper-blogs", "pudong-customs-mirror-2025"],
                         assumptions: ["hold margin 48h"]),
        ])
        try model.insert(contentsOf: [
            Site(id: "hk-hospital", name: "treating hospital, Hong Kong", city: "Hong Kong", timeZone: "Asia/Hong_Kong"),
            Site(id: "hkg", name: "Hong Kong International Airport", city: "Hong Kong", timeZone: "Asia/Hong_Kong"),
            Site(id: "nkg", name: "Nanjing Lukou International Airport", city: "Nanjing", timeZone: "Asia/Shanghai"),
            Site(id: "nkg-landside", name: "Nanjing Lukou airport, after customs", city: "Nanjing", timeZone: "Asia/Shanghai"),
            Site(id: "iaso-nanjing", name: "IASO Bio, NJBPV", city: "Nanjing", timeZone: "Asia/Shanghai", enterprise: "iaso-bio"),
            Site(id: "sg-hospital", name: "treating hospital, Singapore", city: "Singapore", timeZone: "Asia/Singapore"),
            Site(id: "sin", name: "Singapore Changi Airport", city: "Singapore", timeZone: "Asia/Singapore"),
            Site(id: "london-hospital", name: "treating hospital, London", city: "London", timeZone: "Europe/London"),
            Site(id: "lhr", name: "London Heathrow Airport", city: "London", timeZone: "Europe/London"),
        ])
        let assumed = "Valley assumption; replace with a measured time"
        try model.insert(contentsOf: [
            Leg(id: "hk-pickup", from: "hk-hospital", to: "hkg", kind: .courier, duration: .hours(3), assumption: "\(assumed): courier and export handling in Hong Kong"),
            Leg(id: "hkg-nkg-flight", from: "hkg", to: "nkg", kind: .flight, duration: .minutes(150),
                assumption: "\(assumed): flight time, and departures Mon–Sat 10:00 and 18:30", schedule: WeeklySchedule.parse("Mon-Sat 10:00,18:30")),
            Leg(id: "nkg-import-customs", from: "nkg", to: "nkg-landside", kind: .customs, duration: .hours(4),
                assumption: "\(assumed): taken from one Shanghai Pudong clearance 4 h after landing; office open daily 08:00–20:00",
                sources: ["pudong-customs-mirror-2025"], schedule: WeeklySchedule.parse("daily 08:00-20:00")),
            Leg(id: "nkg-to-iaso", from: "nkg-landside", to: "iaso-nanjing", kind: .road, duration: .hours(2), assumption: "\(assumed): airport to Jiangbei by road"),
            Leg(id: "iaso-manufacture", from: "iaso-nanjing", to: "iaso-nanjing", kind: .processing, duration: .hours(96),
                assumption: "\(assumed): release and packing before dispatch, inside the 144 h window"),
            Leg(id: "iaso-to-nkg", from: "iaso-nanjing", to: "nkg-landside", kind: .road, duration: .hours(2), assumption: "\(assumed): Jiangbei to airport by road"),
            Leg(id: "nkg-export-customs", from: "nkg-landside", to: "nkg", kind: .customs, duration: .hours(4),
                assumption: "\(assumed): export clearance as long as import; office open daily 08:00–20:00", schedule: WeeklySchedule.parse("daily 08:00-20:00")),
            Leg(id: "nkg-hkg-flight", from: "nkg", to: "hkg", kind: .flight, duration: .minutes(150),
                assumption: "\(assumed): flight time, and departures Mon–Sat 09:00 and 15:00", schedule: WeeklySchedule.parse("Mon-Sat 09:00,15:00")),
            Leg(id: "hk-delivery", from: "hkg", to: "hk-hospital", kind: .courier, duration: .hours(3), assumption: "\(assumed): import clearance and courier to the ward"),
            Leg(id: "sg-pickup", from: "sg-hospital", to: "sin", kind: .courier, duration: .hours(3), assumption: "\(assumed): courier and export handling in Singapore"),
            Leg(id: "sin-nkg-flight", from: "sin", to: "nkg", kind: .flight, duration: .hours(9), assumption: "\(assumed): one connection, no direct flight assumed"),
            Leg(id: "london-pickup", from: "london-hospital", to: "lhr", kind: .courier, duration: .hours(3), assumption: "\(assumed): courier and export handling in London"),
            Leg(id: "lhr-nkg-flight", from: "lhr", to: "nkg", kind: .flight, duration: .hours(15),
                assumption: "\(assumed): one connection; departs daily 21:00 London time", schedule: WeeklySchedule.parse("daily 21:00")),
        ])
        try model.insert(contentsOf: [
            Route(id: "hk-sample-to-nanjing", name: "Hong Kong blood sample to IASO Bio",
                  legs: ["hk-pickup", "hkg-nkg-flight", "nkg-import-customs", "nkg-to-iaso"]),
            Route(id: "nanjing-product-to-hk", name: "CAR-T product from IASO Bio to Hong Kong",
                  legs: ["iaso-manufacture", "iaso-to-nkg", "nkg-export-customs", "nkg-hkg-flight", "hk-delivery"]),
            Route(id: "sg-sample-to-nanjing", name: "Singapore blood sample to IASO Bio",
                  legs: ["sg-pickup", "sin-nkg-flight", "nkg-import-customs", "nkg-to-iaso"],
                  note: "planned expansion to more regions (seed 000); every duration but customs assumed"),
            Route(id: "london-sample-to-nanjing", name: "London blood sample to IASO Bio",
                  legs: ["london-pickup", "lhr-nkg-flight", "nkg-import-customs", "nkg-to-iaso"],
                  note: "planned expansion to another time zone; every duration assumed"),
        ])
    }
}
