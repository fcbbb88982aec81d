/**
 * The frames the Publisher dropped while its buffer was full, accumulated until the loss record
 * goes out: how many, the receive times of the first and last, and their tickers (at most
 * MAX_LOSS_TICKERS, so a long outage cannot grow memory).
 */
import type { LossWindow, Outbound } from "./publisher-types.js";

const MAX_LOSS_TICKERS = 1000;

export class DroppedFrames {
  private lost = 0;
  private lastUs: number;
  private readonly tickers = new Set<string>();

  constructor(private readonly firstUs: number) {
    this.lastUs = firstUs;
  }

  add(message: Outbound): void {
    this.lost += 1;
    this.lastUs = message.recvUs;
    if (message.ticker && this.tickers.size < MAX_LOSS_TICKERS) this.tickers.add(message.ticker);
  }

  /** The loss window to report, tickers sorted. */
  window(): LossWindow {
    return { lost: this.lost, firstUs: this.firstUs, lastUs: this.lastUs, tickers: [...this.tickers].sort() };
  }
}
