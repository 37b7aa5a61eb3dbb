/**
 * The operations of a change preview, named and drawn as Pulumi's display names them (`pulumi preview`): the
 * symbol, the word in the Plan column and the colour (pkg/display in pulumi/pulumi: create green "+", update yellow
 * "~", delete red "-", replace magenta "+-", same unmarked).
 */
export type Op = "create" | "update" | "replace" | "delete" | "same";

export const OP_SYMBOL: Record<Op, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };
export const OP_STYLE: Record<Op, "green" | "yellow" | "magenta" | "red" | undefined> = {
  create: "green", update: "yellow", replace: "magenta", delete: "red", same: undefined,
};
/** The order Pulumi's summary lists them in. */
export const OPS: Op[] = ["create", "update", "replace", "delete", "same"];
/** The summary's wording per operation ("+ 3 to create", "4 unchanged"). */
export const OP_SUMMARY: Record<Op, string> = { create: "to create", update: "to update", replace: "to replace", delete: "to delete", same: "unchanged" };
