/**
 * The order book of one Kalshi market, pure and exact.
 *
 * Kalshi books hold bids only, on two legs: YES bids and NO bids. Buying NO at p is selling YES
 * at 1 − p, so a YES ask is 1 − a NO bid: bestYesAsk = 1 − bestNoBid (and bestNoAsk = 1 −
 * bestYesBid). The client view is in YES terms: bids = YES bids, best (highest) first; asks =
 * 1 − NO bids, best (lowest) first.
 *
 * The book is empty and not ready until a snapshot arrives; deltas before that are refused
 * (applyDelta returns false) and the caller should wait for or request a snapshot. reset() on a
 * gap or a disconnect returns the book to that state.
 */
import { type Count, complement, type Price } from "./decimal.js";
import { ValidationError } from "./errors.js";
import type { Level, OrderbookDelta, OrderbookSnapshot, Side } from "./kalshi/types.js";
import { BookSide } from "./orderbook-side.js";

export interface OrderBookOptions {
  /**
   * The subscription used `use_yes_price: true`: NO-leg prices arrive on the YES scale
   * (a NO bid at 0.30 is sent as 0.70) and are converted back here.
   */
  noPricesOnYesScale?: boolean;
}

/** What clients see, in YES terms: bids descending, asks (1 − NO bids) ascending. */
export interface BookView {
  bids: Level[];
  asks: Level[];
}

export class OrderBook {
  private readonly yesBids = new BookSide();
  private readonly noBids = new BookSide();
  private ready = false;

  constructor(
    readonly ticker: string,
    private readonly options: OrderBookOptions = {},
  ) {}

  /** True once a snapshot has been applied (and no reset since). */
  get hasSnapshot(): boolean {
    return this.ready;
  }

  applySnapshot(snapshot: OrderbookSnapshot): void {
    this.checkTicker(snapshot.ticker);
    this.yesBids.replace(snapshot.yes);
    this.noBids.replace(snapshot.no.map(([price, size]): Level => [this.noPrice(price), size]));
    this.ready = true;
  }

  /**
   * Applies a signed size change. Returns false (and changes nothing) when no snapshot has been
   * applied yet. A level that falls to zero or below is removed.
   */
  applyDelta(delta: OrderbookDelta): boolean {
    this.checkTicker(delta.ticker);
    if (!this.ready) return false;
    if (delta.side === "yes") this.yesBids.add(delta.price, delta.delta);
    else this.noBids.add(this.noPrice(delta.price), delta.delta);
    return true;
  }

  /** Empties the book and waits for a new snapshot (after a gap, a reset or a disconnect). */
  reset(): void {
    this.yesBids.clear();
    this.noBids.clear();
    this.ready = false;
  }

  bestYesBid(): Level | undefined {
    return this.yesBids.best();
  }

  bestNoBid(): Level | undefined {
    return this.noBids.best();
  }

  /** 1 − best NO bid, with that bid's size. */
  bestYesAsk(): Level | undefined {
    return complementLevel(this.noBids.best());
  }

  /** 1 − best YES bid, with that bid's size. */
  bestNoAsk(): Level | undefined {
    return complementLevel(this.yesBids.best());
  }

  /** Bids of one leg, best (highest) first, at most `depth` levels. */
  levels(side: Side, depth?: number): Level[] {
    return (side === "yes" ? this.yesBids : this.noBids).topDown(depth);
  }

  /** Size resting at a price on one leg (0 when there is no level). */
  sizeAt(side: Side, price: Price): Count {
    return (side === "yes" ? this.yesBids : this.noBids).sizeAt(price);
  }

  /**
   * Locked or crossed: best YES bid ≥ best YES ask (YES bid + NO bid ≥ $1). Such orders would
   * have matched on Kalshi, so a crossed book means missed or stale updates.
   */
  isCrossed(): boolean {
    const bid = this.yesBids.best();
    const ask = this.bestYesAsk();
    return bid !== undefined && ask !== undefined && bid[0] >= ask[0];
  }

  /** The client view in YES terms, at most `depth` levels per side. */
  view(depth?: number): BookView {
    return {
      bids: this.yesBids.topDown(depth),
      asks: this.noBids.topDown(depth).map(([price, size]): Level => [complement(price), size]),
    };
  }

  private noPrice(price: Price): Price {
    return this.options.noPricesOnYesScale === true ? complement(price) : price;
  }

  private checkTicker(ticker: string): void {
    if (ticker !== this.ticker) {
      throw new ValidationError(`order book for '${this.ticker}' got a message for '${ticker}'`);
    }
  }
}

function complementLevel(level: Level | undefined): Level | undefined {
  return level === undefined ? undefined : [complement(level[0]), level[1]];
}
