import { estimateAt, serviceMinutes } from '../../common/health/rules.js';
import { prng } from '../../server/platform/generate/platform.js';

/**
 * A simulated poli, to judge the queue's time estimates (issue 5): working days of one doctor
 * from 08:00 to 12:00, patients registering before and during the morning (online bookings the
 * evening before, walk-ins as they come), served in number order with service times drawn from a
 * log-normal spread around the poli's own pace. Each registration gets the estimate the app gives
 * (common/health/rules: serviceMinutes + estimateAt, with the medians the app reads: today's last
 * 20 finished visits, else the last 4 weeks' last 200, else the assumed duration), and the error
 * is measured against the moment the simulated doctor actually starts with the patient.
 *
 * Deterministic (seeded). Reported: the mean absolute error in minutes with the app's estimator,
 * and with the assumed duration alone, over the days after a first week that fills the history.
 */

interface Visit {
  registeredAt: number;
  estimate: number;
  start: number;
  finish: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((x, y) => x - y);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

export interface EstimateFigures {
  days: number;
  visits: number;
  maeMinutes: number;
  maeAssumedMinutes: number;
  /** Share of estimates within 10 minutes of the actual start. */
  within10: number;
}

export function simulateEstimates(opts: { days?: number; patientsPerDay?: number; seed?: number; pace?: [number, number] } = {}): EstimateFigures {
  const days = opts.days ?? 40;
  const perDay = opts.patientsPerDay ?? 30;
  const random = prng(opts.seed ?? 20261130);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const ASSUMED = 8;
  const OPENS = 8 * 60;
  const WARM_UP = 5;
  /** Finished visits of past days: [finish time (minutes since day 0), duration in seconds]. */
  const history: [number, number][] = [];
  let errors = 0;
  let assumedErrors = 0;
  let within = 0;
  let counted = 0;
  for (let day = 0; day < days; day++) {
    const base = day * 24 * 60;
    // The poli's pace drifts from day to day (a new doctor, a busy season): median 5 to 9 minutes.
    const [slow, fast] = opts.pace ?? [5, 9];
    const pace = slow + (fast - slow) * random();
    // A third book online the evening before; the rest walk in between 07:30 and 11:00.
    const arrivals = Array.from({ length: perDay }, () => (random() < 0.33 ? base - 4 * 60 + 60 * random() : base + 7.5 * 60 + 210 * random())).sort((x, y) => x - y);
    const durations = arrivals.map(() => Math.max(1, pace * Math.exp(0.45 * normal())));
    const visits: Visit[] = [];
    const today: [number, number][] = [];
    let doctorFree = base + OPENS;
    // Events in time order: registrations, and the finishes of the visits they follow.
    for (let i = 0; i < arrivals.length; i++) {
      const now = arrivals[i]!;
      // Visits finished by now feed the medians.
      for (const v of visits) if (v.finish <= now && !today.some(([f]) => f === v.finish)) today.push([v.finish, (v.finish - v.start) * 60]);
      const ahead = visits.filter((v) => v.start > now).length + visits.filter((v) => v.start <= now && v.finish > now).length;
      const todayLast = today.filter(([f]) => f <= now).slice(-20).map(([, d]) => d);
      const recent = history.filter(([f]) => f >= base - 28 * 24 * 60).slice(-200).map(([, d]) => d);
      const time = serviceMinutes({ medianS: median(todayLast), n: todayLast.length }, { medianS: median(recent), n: recent.length }, ASSUMED);
      const opens = new Date((base + OPENS) * 60_000);
      const at = new Date(now * 60_000);
      const estimate = estimateAt(opens, at, ahead, time.minutes).getTime() / 60_000;
      const assumed = estimateAt(opens, at, ahead, ASSUMED).getTime() / 60_000;
      const start = Math.max(doctorFree, now, base + OPENS);
      const finish = start + durations[i]!;
      doctorFree = finish;
      visits.push({ registeredAt: now, estimate, start, finish });
      if (day >= WARM_UP) {
        errors += Math.abs(estimate - start);
        assumedErrors += Math.abs(assumed - start);
        if (Math.abs(estimate - start) <= 10) within++;
        counted++;
      }
    }
    for (const v of visits) history.push([v.finish, (v.finish - v.start) * 60]);
  }
  const r = (x: number) => Math.round(x * 10) / 10;
  return { days: days - WARM_UP, visits: counted, maeMinutes: r(errors / counted), maeAssumedMinutes: r(assumedErrors / counted), within10: Math.round((within / counted) * 100) / 100 };
}
