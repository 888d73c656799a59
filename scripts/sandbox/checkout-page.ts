/** The sandbox's stand-in for bKash's hosted payment page: the customer picks the outcome. */

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface CheckoutView {
  paymentID: string;
  amount: string;
  merchantInvoiceNumber: string;
  payerReference: string;
}

export function checkoutPage(p: CheckoutView): string {
  const choice = (action: string, label: string, colour: string) =>
    `<button name="action" value="${action}" style="background:${colour}">${label}</button>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>bKash sandbox — pay ৳${escape(p.amount)}</title>
<style>
 body{font-family:system-ui,sans-serif;background:#f4f4f6;margin:0;display:flex;justify-content:center}
 main{background:#fff;margin:2rem 1rem;padding:1.5rem;border-radius:12px;max-width:380px;width:100%;box-shadow:0 2px 12px #0001}
 h1{color:#e2136e;font-size:1.3rem;margin:0 0 1rem} dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}
 dt{color:#666} dd{margin:0;font-weight:600} label{display:block;margin:1rem 0 .3rem;color:#666}
 input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
 button{display:block;width:100%;margin-top:.6rem;padding:.7rem;border:0;border-radius:8px;color:#fff;font-size:1rem;cursor:pointer}
 p.note{color:#888;font-size:.8rem}
</style></head>
<body><main>
<h1>bKash Checkout (local sandbox)</h1>
<dl>
 <dt>Amount</dt><dd>৳ ${escape(p.amount)}</dd>
 <dt>Invoice</dt><dd>${escape(p.merchantInvoiceNumber)}</dd>
 <dt>Payment ID</dt><dd>${escape(p.paymentID)}</dd>
</dl>
<form method="get">
 <label for="wallet">bKash wallet number</label>
 <input id="wallet" name="wallet" value="${escape(p.payerReference)}" inputmode="numeric">
 ${choice("success", "Pay (success)", "#e2136e")}
 ${choice("failure", "Fail (e.g. wrong PIN)", "#8a8a8a")}
 ${choice("cancel", "Cancel", "#444")}
</form>
<p class="note">No money moves. The choice returns you to the merchant's callback URL exactly as bKash would:
<code>?paymentID=…&amp;status=success|failure|cancel</code>.</p>
</main></body></html>`;
}

export function messagePage(title: string, text: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;margin:2rem"><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
}
