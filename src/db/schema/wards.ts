import { integer, pgTable, varchar } from "drizzle-orm/pg-core";

/** Wards of the city corporation (Dhaka South: 75 wards in 10 zones). `users.ward_number` etc. hold the number as text. */
export const wards = pgTable("wards", {
  number: integer("number").primaryKey(),
  nameEn: varchar("name_en", { length: 100 }).notNull(),
  nameBn: varchar("name_bn", { length: 100 }).notNull(),
  zone: integer("zone").notNull(),
});
