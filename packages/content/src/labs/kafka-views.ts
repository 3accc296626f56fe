import * as z from "zod";

/**
 * The views a stream job derives from a seeded topic of shop sales, which the grader computes
 * itself to judge the view topic a learner's job wrote (the `kafka-view` check). One place for
 * the view's logic and its exchange rates, so the lab's text and the grader cannot disagree.
 */

export const saleCurrencies = ["EUR", "USD", "GBP"] as const;
export type SaleCurrency = (typeof saleCurrencies)[number];

/** Euros per unit of each currency a sale may be in: the fixed rates of the Kappa lab. */
export const eurPerUnit: Readonly<Record<SaleCurrency, number>> = { EUR: 1, USD: 0.88, GBP: 1.28 };

/** A "shop-sale" record as lab-runner publishes it (its id and timestamp do not enter a view). */
export const saleSchema = z.object({
  shop: z.string().min(1),
  amount: z.number(),
  currency: z.enum(saleCurrencies),
});
export type Sale = z.infer<typeof saleSchema>;

/** The fields of every message of a view topic: the shop's revenue so far and how many sales it counts. */
export const viewFields = { revenue: "revenue_eur", sales: "sales" } as const;

interface ViewDefinition {
  /** What the view does with each sale, for feedback: "every amount converted to euros". */
  logic: string;
  /** A sale's contribution to its shop's revenue, in euros. */
  revenueEur(sale: Sale): number;
}

export const kafkaViewNames = ["revenue-per-shop", "revenue-per-shop-unconverted"] as const;
export type KafkaViewName = (typeof kafkaViewNames)[number];

const views: Record<KafkaViewName, ViewDefinition> = {
  "revenue-per-shop": {
    logic: "every amount converted to euros",
    revenueEur: (sale) => sale.amount * eurPerUnit[sale.currency],
  },
  // The processor as the Kappa lab ships it, with its bug: dollars and pounds added up as if they were euros.
  "revenue-per-shop-unconverted": {
    logic: "every amount added as it is, whatever its currency",
    revenueEur: (sale) => sale.amount,
  },
};

export const viewLogic = (name: KafkaViewName) => views[name].logic;

/** One shop's row of a view: its revenue in euros (unrounded) and the number of sales it counts. */
export interface ShopRevenue {
  revenueEur: number;
  sales: number;
}

/** The view over every sale: each shop's revenue and sales count. */
export function computeView(name: KafkaViewName, sales: readonly Sale[]): Map<string, ShopRevenue> {
  const rows = new Map<string, ShopRevenue>();
  for (const sale of sales) {
    const row = rows.get(sale.shop) ?? { revenueEur: 0, sales: 0 };
    row.revenueEur += views[name].revenueEur(sale);
    row.sales += 1;
    rows.set(sale.shop, row);
  }
  return rows;
}
