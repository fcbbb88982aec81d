/** GET /exchange/schedule: Kalshi's shape, open around the clock, Thursday maintenance (ET). */
const ALL_DAY = [{ open_time: "00:00", close_time: "24:00" }];
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

export function exchangeSchedule(): unknown {
  const week = Object.fromEntries(DAYS.map((day) => [day, ALL_DAY]));
  return {
    schedule: {
      standard_hours: [{ start_time: "2024-01-01T00:00:00Z", end_time: "2099-12-31T00:00:00Z", ...week }],
      maintenance_windows: [],
    },
  };
}
