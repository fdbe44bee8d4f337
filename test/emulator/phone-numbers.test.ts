/**
 * Phone numbers (rules PN1-PN3, PN5-PN8, API3, API4), through the real v3 client. Associations
 * belong to the voice connector and SIP rule families: the tests write them with the helpers those
 * families use, and seed the connector records they point at.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  BatchDeletePhoneNumberCommand,
  BatchUpdatePhoneNumberCommand,
  ConflictException,
  CreatePhoneNumberOrderCommand,
  DeletePhoneNumberCommand,
  ForbiddenException,
  GetPhoneNumberCommand,
  GetPhoneNumberOrderCommand,
  GetPhoneNumberSettingsCommand,
  ListPhoneNumberOrdersCommand,
  ListPhoneNumbersCommand,
  ListSupportedPhoneNumberCountriesCommand,
  NotFoundException,
  RestorePhoneNumberCommand,
  SearchAvailablePhoneNumbersCommand,
  UpdatePhoneNumberCommand,
  UpdatePhoneNumberSettingsCommand,
  ValidateE911AddressCommand,
  type ListPhoneNumbersCommandInput,
  type PhoneNumberOrder,
  type SearchAvailablePhoneNumbersCommandInput,
} from '@aws-sdk/client-chime-sdk-voice';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  addAssociation,
  CALLING_NAME_APPLY_MS,
  DELETION_QUEUE_MS,
  ORDER_PROCESSING_MS,
  phoneNumberControlActions,
  phoneNumbers,
  removeAssociation,
  seedPortingOrder,
} from '../../src/emulator/services/phone-numbers.js';
import { emptyState, type VoiceConnectorRecord } from '../../src/emulator/core/state.js';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

const ACCOUNT = '111122223333';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('phone numbers', () => {
  const emu = withEmulator({ services: [phoneNumbers], controlActions: phoneNumberControlActions, accountId: ACCOUNT });
  const client = () => voiceClient(emu());

  beforeEach(() => emu().resetState(emptyState()));

  const search = async (input: SearchAvailablePhoneNumbersCommandInput) =>
    (await client().send(new SearchAvailablePhoneNumbersCommand(input))).E164PhoneNumbers ?? [];

  async function order(numbers: string[], productType: 'VoiceConnector' | 'SipMediaApplicationDialIn' = 'VoiceConnector', name?: string) {
    const out = await client().send(new CreatePhoneNumberOrderCommand({ ProductType: productType, E164PhoneNumbers: numbers, Name: name }));
    return out.PhoneNumberOrder!;
  }

  /** Orders `count` numbers of an area code and lets the order complete. */
  async function provision(areaCode: string, count = 1, productType: 'VoiceConnector' | 'SipMediaApplicationDialIn' = 'VoiceConnector') {
    const numbers = (await search({ AreaCode: areaCode, MaxResults: count })).slice(0, count);
    await order(numbers, productType);
    emu().clock.advance(ORDER_PROCESSING_MS);
    return numbers;
  }

  const getNumber = async (id: string) => (await client().send(new GetPhoneNumberCommand({ PhoneNumberId: id }))).PhoneNumber!;
  const getOrder = async (id: string) => (await client().send(new GetPhoneNumberOrderCommand({ PhoneNumberOrderId: id }))).PhoneNumberOrder!;

  /** Stands in for AssociatePhoneNumbersWithVoiceConnector (another family): a connector record and the association. */
  function associateWithConnector(e164: string, connectorId = 'abcdefghij0123456789ab') {
    const now = emu().clock.now().toISOString();
    emu().state.voiceConnectors[connectorId] ??= { VoiceConnectorId: connectorId } as VoiceConnectorRecord;
    addAssociation(emu().state.phoneNumbers[e164], 'VoiceConnectorId', connectorId, now);
    return connectorId;
  }

  describe('search and supported countries', () => {
    it('ListSupportedPhoneNumberCountries: VoiceConnector numbers are US-only (PN2); dial-in covers the guide countries and their number types (PN3)', async () => {
      const vc = await client().send(new ListSupportedPhoneNumberCountriesCommand({ ProductType: 'VoiceConnector' }));
      expect(vc.PhoneNumberCountries).toEqual([{ CountryCode: 'US', SupportedPhoneNumberTypes: ['Local', 'TollFree'] }]);
      const sma = await client().send(new ListSupportedPhoneNumberCountriesCommand({ ProductType: 'SipMediaApplicationDialIn' }));
      const byCountry = Object.fromEntries(sma.PhoneNumberCountries!.map((c) => [c.CountryCode, c.SupportedPhoneNumberTypes]));
      expect(Object.keys(byCountry).sort()).toEqual(['AT', 'AU', 'CA', 'CH', 'DE', 'DK', 'FI', 'GB', 'IE', 'IT', 'KR', 'NG', 'NZ', 'PR', 'SE', 'US']);
      expect(byCountry.KR).toEqual(['TollFree']);
      expect(byCountry.NG).toEqual(['Local']);
      expect(byCountry.GB).toEqual(['Local', 'TollFree']);
    });

    it('PN1: the pool is deterministic and filters by area code, state, city and toll-free prefix', async () => {
      const seattle = await search({ AreaCode: '206' });
      expect(seattle).toHaveLength(20);
      expect(seattle.every((n) => n.startsWith('+1206'))).toBe(true);
      expect(await search({ AreaCode: '206' })).toEqual(seattle);

      const wa = await search({ State: 'WA' });
      expect(wa).toHaveLength(40);
      expect(await search({ State: 'wa', City: 'seattle' })).toEqual(seattle);
      // Two Portlands: the state decides.
      expect((await search({ State: 'OR', City: 'Portland' })).every((n) => n.startsWith('+1503'))).toBe(true);
      expect((await search({ State: 'ME', City: 'Portland' })).every((n) => n.startsWith('+1207'))).toBe(true);

      for (const prefix of ['800', '833', '844', '855', '866', '877', '888']) {
        const tollFree = await search({ TollFreePrefix: prefix });
        expect(tollFree.length).toBeGreaterThan(0);
        expect(tollFree.every((n) => n.startsWith(`+1${prefix}`) && parsePhoneNumberFromString(n)?.getType() === 'TOLL_FREE')).toBe(true);
      }
      expect(await search({ AreaCode: '999' })).toEqual([]);
    });

    it('PN8: every country of the pool offers valid E.164 numbers of the type searched', async () => {
      const sma = await client().send(new ListSupportedPhoneNumberCountriesCommand({ ProductType: 'SipMediaApplicationDialIn' }));
      for (const country of sma.PhoneNumberCountries!)
        for (const type of country.SupportedPhoneNumberTypes!) {
          const found = await search({ Country: country.CountryCode, PhoneNumberType: type });
          expect(found.length, `${country.CountryCode} ${type}`).toBeGreaterThan(0);
          for (const n of found) {
            expect(n).toMatch(/^\+[1-9]\d{1,14}$/);
            const parsed = parsePhoneNumberFromString(n);
            expect(parsed?.isValid(), n).toBe(true);
            expect(parsed?.getType() === 'TOLL_FREE', n).toBe(type === 'TollFree');
          }
        }
    });

    it('API3: search pages up to 500 numbers with an opaque token, and refuses bad combinations', async () => {
      const first = await client().send(new SearchAvailablePhoneNumbersCommand({ Country: 'US', MaxResults: 500 }));
      expect(first.E164PhoneNumbers).toHaveLength(500);
      expect(first.NextToken).toBeTruthy();
      const second = await client().send(new SearchAvailablePhoneNumbersCommand({ Country: 'US', MaxResults: 500, NextToken: first.NextToken }));
      expect(second.NextToken).toBeUndefined();
      const all = [...first.E164PhoneNumbers!, ...second.E164PhoneNumbers!];
      expect(new Set(all).size).toBe(all.length);
      expect(all).toHaveLength(620);

      await expect(client().send(new SearchAvailablePhoneNumbersCommand({ Country: 'US', MaxResults: 501 }))).rejects.toBeInstanceOf(BadRequestException);
      await expect(client().send(new SearchAvailablePhoneNumbersCommand({ AreaCode: '206', NextToken: first.NextToken }))).rejects.toThrow(
        /NextToken/,
      );
      await expect(search({ Country: 'GB' })).rejects.toThrow(/PhoneNumberType is required/);
      await expect(search({ City: 'Seattle' })).rejects.toThrow(/City requires State/);
      await expect(search({ TollFreePrefix: '800', AreaCode: '206' })).rejects.toBeInstanceOf(BadRequestException);
      await expect(search({ Country: 'KR', PhoneNumberType: 'Local' })).rejects.toThrow(/not offered in KR/);
      await expect(search({ Country: 'FR', PhoneNumberType: 'Local' })).rejects.toThrow(/FR is not supported/);
    });
  });

  describe('orders', () => {
    it('PN1: an order is Processing, then Successful; acquired numbers enter the inventory Unassigned with the order name and leave the pool', async () => {
      const numbers = (await search({ AreaCode: '312' })).slice(0, 2);
      const created = await order(numbers, 'VoiceConnector', 'Chicago office');
      expect(created.PhoneNumberOrderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(created.Status).toBe('Processing');
      expect(created.OrderType).toBe('New');
      expect(created.OrderedPhoneNumbers).toEqual(numbers.map((n) => ({ E164PhoneNumber: n, Status: 'Processing' })));
      expect(created.CreatedTimestamp).toBeInstanceOf(Date);
      // Reserved at once: gone from search, in the inventory as AcquireInProgress.
      expect(await search({ AreaCode: '312' })).not.toContain(numbers[0]);
      expect((await getNumber(numbers[0])).Status).toBe('AcquireInProgress');

      emu().clock.advance(ORDER_PROCESSING_MS - 1000);
      expect((await getOrder(created.PhoneNumberOrderId!)).Status).toBe('Processing');
      emu().clock.advance(1000);
      const done = await getOrder(created.PhoneNumberOrderId!);
      expect(done.Status).toBe('Successful');
      expect(done.OrderedPhoneNumbers!.map((n) => n.Status)).toEqual(['Acquired', 'Acquired']);

      const pn = await getNumber(numbers[0]);
      expect(pn).toMatchObject({
        PhoneNumberId: numbers[0],
        E164PhoneNumber: numbers[0],
        PhoneNumberArn: `arn:aws:chime:us-east-1:${ACCOUNT}:phone-number/${numbers[0]}`,
        Country: 'US',
        Type: 'Local',
        ProductType: 'VoiceConnector',
        Status: 'Unassigned',
        Associations: [],
        CallingNameStatus: 'Unassigned',
        OrderId: created.PhoneNumberOrderId,
        Name: 'Chicago office',
      });
      expect(pn.Capabilities).toMatchObject({ InboundCall: true, OutboundCall: true });
      expect(await search({ AreaCode: '312' })).toHaveLength(18);
    });

    it('PN1: numbers not available in the pool fail; the order is Partial, or Failed when none is acquired', async () => {
      const [available] = await search({ AreaCode: '415' });
      const partial = await order([available, '+14155550199']);
      const failed = await order([available]); // already reserved by the first order
      emu().clock.advance(ORDER_PROCESSING_MS);
      const p = await getOrder(partial.PhoneNumberOrderId!);
      expect(p.Status).toBe('Partial');
      expect(p.OrderedPhoneNumbers).toEqual([
        { E164PhoneNumber: available, Status: 'Acquired' },
        { E164PhoneNumber: '+14155550199', Status: 'Failed' },
      ]);
      const f = await getOrder(failed.PhoneNumberOrderId!);
      expect(f.Status).toBe('Failed');
      expect(f.OrderedPhoneNumbers).toEqual([{ E164PhoneNumber: available, Status: 'Failed' }]);
      await expect(getNumber('+14155550199')).rejects.toBeInstanceOf(NotFoundException);
      expect((await getNumber(available)).OrderId).toBe(partial.PhoneNumberOrderId);
    });

    it('PN1: orders are listed in creation order with paging (API3); an unknown order is NotFound', async () => {
      const pool = await search({ AreaCode: '512', MaxResults: 3 });
      const ids: string[] = [];
      for (const n of pool) {
        ids.push((await order([n])).PhoneNumberOrderId!);
        emu().clock.advance(1000);
      }
      const seen: PhoneNumberOrder[] = [];
      let token: string | undefined;
      do {
        const page = await client().send(new ListPhoneNumberOrdersCommand({ MaxResults: 2, NextToken: token }));
        expect(page.PhoneNumberOrders!.length).toBeLessThanOrEqual(2);
        seen.push(...page.PhoneNumberOrders!);
        token = page.NextToken;
      } while (token);
      expect(seen.map((o) => o.PhoneNumberOrderId)).toEqual(ids);
      await expect(getOrder('00000000-0000-0000-0000-000000000000')).rejects.toThrow(/does not exist/);
      await expect(getOrder('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(NotFoundException);
    });

    it('PN1: a porting order walks Submitted, PendingDocuments, FOC to Successful; its numbers are PortinInProgress until then', async () => {
      const res = await fetch(`${emu().url}/_emulator/seed-porting-order`, {
        method: 'POST',
        body: JSON.stringify({ numbers: ['+12125550142', '+18885550142'], productType: 'VoiceConnector', name: 'HQ port' }),
      });
      expect(res.status).toBe(200);
      const seeded = ((await res.json()) as { PhoneNumberOrder: { PhoneNumberOrderId: string } }).PhoneNumberOrder;
      const id = seeded.PhoneNumberOrderId;
      let o = await getOrder(id);
      expect(o).toMatchObject({ OrderType: 'Porting', Status: 'Submitted', ProductType: 'VoiceConnector' });
      expect(o.FocDate).toBeUndefined();
      const ported = await getNumber('+12125550142');
      expect(ported.Status).toBe('PortinInProgress');
      expect((await getNumber('+18885550142')).Type).toBe('TollFree');
      await expect(client().send(new DeletePhoneNumberCommand({ PhoneNumberId: '+12125550142' }))).rejects.toThrow(/ported in/);

      emu().clock.advance(DAY);
      expect((await getOrder(id)).Status).toBe('PendingDocuments');
      emu().clock.advance(DAY);
      o = await getOrder(id);
      expect(o.Status).toBe('FOC');
      expect(o.FocDate).toBeTruthy();
      emu().clock.advance(DAY);
      o = await getOrder(id);
      expect(o.Status).toBe('Successful');
      expect(o.OrderedPhoneNumbers!.every((n) => n.Status === 'Acquired')).toBe(true);
      expect(await getNumber('+12125550142')).toMatchObject({ Status: 'Unassigned', Name: 'HQ port', OrderId: id });

      const bad = await fetch(`${emu().url}/_emulator/seed-porting-order`, {
        method: 'POST',
        body: JSON.stringify({ numbers: ['+442071830100'], productType: 'VoiceConnector' }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { Message: string }).Message).toMatch(/PN2/);
    });

    it('PN1: a cancelled porting order ends Cancelled and its numbers leave the inventory', async () => {
      const now = emu().clock.now();
      const seeded = seedPortingOrder(emu().state, now, { numbers: ['+442071839999'], productType: 'SipMediaApplicationDialIn', outcome: 'Cancelled', stepMs: HOUR });
      const id = seeded.PhoneNumberOrderId as string;
      expect((await getNumber('+442071839999')).Country).toBe('GB');
      emu().clock.advance(2 * HOUR);
      expect((await getOrder(id)).Status).toBe('CancelRequested');
      expect((await getNumber('+442071839999')).Status).toBe('PortinCancelRequested');
      emu().clock.advance(HOUR);
      const o = await getOrder(id);
      expect(o.Status).toBe('Cancelled');
      expect(o.FocDate).toBeUndefined();
      expect(o.OrderedPhoneNumbers).toEqual([{ E164PhoneNumber: '+442071839999', Status: 'Failed' }]);
      await expect(getNumber('+442071839999')).rejects.toBeInstanceOf(NotFoundException);
    });

    it('PN2: a VoiceConnector order of a non-US number is refused; dial-in takes it', async () => {
      const [gb] = await search({ Country: 'GB', PhoneNumberType: 'Local' });
      const [us] = await search({ AreaCode: '206' });
      const attempt = order([us, gb], 'VoiceConnector');
      await expect(attempt).rejects.toBeInstanceOf(BadRequestException);
      await expect(order([us, gb], 'VoiceConnector')).rejects.toThrow(
        `Numbers outside the US can only be ordered with the SipMediaApplicationDialIn product type, not VoiceConnector; not in the US: ${gb}.`,
      );
      // Refused whole: nothing reserved.
      expect(await search({ AreaCode: '206' })).toContain(us);
      const ok = await order([gb], 'SipMediaApplicationDialIn');
      emu().clock.advance(ORDER_PROCESSING_MS);
      expect((await getOrder(ok.PhoneNumberOrderId!)).Status).toBe('Successful');
      expect(await getNumber(gb)).toMatchObject({ Country: 'GB', ProductType: 'SipMediaApplicationDialIn' });
      await expect(client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: gb, ProductType: 'VoiceConnector' }))).rejects.toThrow(
        /outside the US can only use the SipMediaApplicationDialIn/,
      );
    });

    it('PN3: countries with identity requirements list numbers but refuse orders, naming the documents for that number type', async () => {
      const [deLocal] = await search({ Country: 'DE', PhoneNumberType: 'Local' });
      expect(deLocal).toMatch(/^\+49/);
      const refusal = order([deLocal], 'SipMediaApplicationDialIn');
      await expect(refusal).rejects.toBeInstanceOf(BadRequestException);
      await expect(order([deLocal], 'SipMediaApplicationDialIn')).rejects.toThrow(
        /Germany \(DE\) requires identity documents for local numbers: Business address in the same geographic area as the phone number; Copy of business registration, or copy of ID for an individual; Proof of address, such as a utility bill/,
      );
      const [deTollFree] = await search({ Country: 'DE', PhoneNumberType: 'TollFree' });
      await expect(order([deTollFree], 'SipMediaApplicationDialIn')).rejects.toThrow(/toll-free numbers: .*Number certificate/);
      const [krTollFree] = await search({ Country: 'KR', PhoneNumberType: 'TollFree' });
      await expect(order([krTollFree], 'SipMediaApplicationDialIn')).rejects.toThrow(/South Korea \(KR\) requires .*Proof of location/);
      const ch = await search({ Country: 'CH', PhoneNumberType: 'Local', MaxResults: 50 });
      const chBusiness = ch.find((n) => n.startsWith('+4158'))!;
      await expect(order([chBusiness], 'SipMediaApplicationDialIn')).rejects.toThrow(/business \(\+41 058\) numbers: Business address within Switzerland\./);
      const [itLocal] = await search({ Country: 'IT', PhoneNumberType: 'Local' });
      await expect(order([itLocal], 'SipMediaApplicationDialIn')).rejects.toThrow(/Passport or end-user ID/);

      // Italy's toll-free numbers, Finland's toll-free and 075 numbers need no documents: they are ordered through the API.
      const [itTollFree] = await search({ Country: 'IT', PhoneNumberType: 'TollFree' });
      const [fiTollFree] = await search({ Country: 'FI', PhoneNumberType: 'TollFree' });
      const fi075 = (await search({ Country: 'FI', PhoneNumberType: 'Local', MaxResults: 50 })).find((n) => n.startsWith('+35875'))!;
      const [gbTollFree] = await search({ Country: 'GB', PhoneNumberType: 'TollFree' });
      const ok = await order([itTollFree, fiTollFree, fi075, gbTollFree], 'SipMediaApplicationDialIn');
      emu().clock.advance(ORDER_PROCESSING_MS);
      expect((await getOrder(ok.PhoneNumberOrderId!)).Status).toBe('Successful');
    });

    it('PN8: ordered numbers are stored in E.164 with their +; the descriptive name holds up to 256 characters', async () => {
      const [n] = await search({ AreaCode: '617' });
      const created = await order([n.slice(1)], 'VoiceConnector', 'a'.repeat(256));
      expect(created.OrderedPhoneNumbers![0].E164PhoneNumber).toBe(n);
      emu().clock.advance(ORDER_PROCESSING_MS);
      expect((await getNumber(n)).Name).toHaveLength(256);
      await expect(order([(await search({ AreaCode: '617' }))[0]], 'VoiceConnector', 'a'.repeat(257))).rejects.toBeInstanceOf(BadRequestException);
      await expect(order([n, n.slice(1)])).rejects.toThrow(/appears more than once/);
      await expect(order([])).rejects.toThrow(/at least one/);
    });
  });

  describe('inventory', () => {
    it('ListPhoneNumbers filters by status, product type and association, and pages (API3)', async () => {
      const vc = await provision('303', 3, 'VoiceConnector');
      const sma = await provision('404', 2, 'SipMediaApplicationDialIn');
      const connector = associateWithConnector(vc[0]);
      await client().send(new DeletePhoneNumberCommand({ PhoneNumberId: vc[2] }));

      const list = async (input: ListPhoneNumbersCommandInput) =>
        ((await client().send(new ListPhoneNumbersCommand(input))).PhoneNumbers ?? []).map((p) => p.E164PhoneNumber).sort();
      expect(await list({})).toEqual([...vc, ...sma].sort());
      expect(await list({ ProductType: 'SipMediaApplicationDialIn' })).toEqual([...sma].sort());
      expect(await list({ Status: 'Assigned' })).toEqual([vc[0]]);
      expect(await list({ Status: 'Unassigned', ProductType: 'VoiceConnector' })).toEqual([vc[1]]);
      expect(await list({ Status: 'DeleteInProgress' })).toEqual([vc[2]]);
      expect(await list({ FilterName: 'VoiceConnectorId', FilterValue: connector })).toEqual([vc[0]]);

      await expect(list({ FilterName: 'VoiceConnectorId', FilterValue: 'nosuchconnector' })).rejects.toBeInstanceOf(NotFoundException);
      await expect(list({ FilterName: 'VoiceConnectorId' })).rejects.toThrow(/FilterName and FilterValue/);
      await expect(list({ Status: 'Bogus' })).rejects.toThrow(/not a phone number status/);

      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await client().send(new ListPhoneNumbersCommand({ MaxResults: 2, NextToken: token }));
        expect(page.PhoneNumbers!.length).toBeLessThanOrEqual(2);
        seen.push(...page.PhoneNumbers!.map((p) => p.E164PhoneNumber!));
        token = page.NextToken;
      } while (token);
      expect(seen).toEqual([...vc, ...sma].sort());
    });

    it('UpdatePhoneNumber changes one detail at a time; the name is not the calling name (PN8)', async () => {
      const [n] = await provision('702');
      const named = await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, Name: 'Front desk' }));
      expect(named.PhoneNumber).toMatchObject({ Name: 'Front desk', CallingNameStatus: 'Unassigned' });
      expect(named.PhoneNumber!.CallingName).toBeUndefined();
      await expect(
        client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, Name: 'x', CallingName: 'Acme' })),
      ).rejects.toThrow(/one detail .* at a time/);
      await expect(client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: '+19995550100', Name: 'x' }))).rejects.toBeInstanceOf(
        NotFoundException,
      );
      const cleared = await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, Name: '' }));
      expect(cleared.PhoneNumber!.Name).toBeUndefined();
    });

    it('PN5: the product type changes only while the number is unassigned', async () => {
      const [a, b] = await provision('602', 2);
      const changed = await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: a, ProductType: 'SipMediaApplicationDialIn' }));
      expect(changed.PhoneNumber!.ProductType).toBe('SipMediaApplicationDialIn');
      const connector = associateWithConnector(b);
      const refused = client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: b, ProductType: 'SipMediaApplicationDialIn' }));
      await expect(refused).rejects.toBeInstanceOf(ConflictException);
      await expect(client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: b, ProductType: 'SipMediaApplicationDialIn' }))).rejects.toThrow(
        `The product type of phone number ${b} can change only while it is unassigned; it is associated with VoiceConnectorId ${connector}.`,
      );
      expect((await getNumber(b)).ProductType).toBe('VoiceConnector');
      removeAssociation(emu().state.phoneNumbers[b], 'VoiceConnectorId', connector, emu().clock.now().toISOString());
      expect((await getNumber(b)).Status).toBe('Unassigned');
      await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: b, ProductType: 'SipMediaApplicationDialIn' }));
      expect((await getNumber(b)).ProductType).toBe('SipMediaApplicationDialIn');
    });

    it('PN6: the calling name applies after 72 hours, changes once every 7 days, and never on toll-free numbers', async () => {
      const [n] = await provision('615');
      const set = await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, CallingName: 'Acme Corp' }));
      expect(set.PhoneNumber).toMatchObject({ CallingName: 'Acme Corp', CallingNameStatus: 'UpdateInProgress' });
      await expect(client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, CallingName: 'Other' }))).rejects.toThrow(
        /still being updated .* a pending update must complete/,
      );
      emu().clock.advance(CALLING_NAME_APPLY_MS - 60_000);
      expect((await getNumber(n)).CallingNameStatus).toBe('UpdateInProgress');
      emu().clock.advance(60_000);
      expect((await getNumber(n)).CallingNameStatus).toBe('UpdateSucceeded');

      const early = client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, CallingName: 'Other' }));
      await expect(early).rejects.toBeInstanceOf(ConflictException);
      await expect(client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, CallingName: 'Other' }))).rejects.toThrow(/once every 7 days, next at/);
      emu().clock.advance(7 * DAY - CALLING_NAME_APPLY_MS);
      const later = await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, CallingName: 'Other' }));
      expect(later.PhoneNumber).toMatchObject({ CallingName: 'Other', CallingNameStatus: 'UpdateInProgress' });

      // The model's pattern: at most 15 letters, digits and spaces.
      await expect(client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, CallingName: 'A'.repeat(16) }))).rejects.toBeInstanceOf(
        BadRequestException,
      );
      const [tollFree] = await search({ TollFreePrefix: '877', MaxResults: 1 });
      await order([tollFree]);
      emu().clock.advance(ORDER_PROCESSING_MS);
      await expect(client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: tollFree, CallingName: 'Acme' }))).rejects.toThrow(
        `Phone number ${tollFree} is toll-free: calling names apply only to local numbers.`,
      );
    });

    it('PN6: the default calling name of the phone number settings goes to newly provisioned US local numbers', async () => {
      expect((await client().send(new GetPhoneNumberSettingsCommand({}))).CallingName).toBeUndefined();
      const [before] = await provision('215');
      await client().send(new UpdatePhoneNumberSettingsCommand({ CallingName: 'Acme Default' }));
      const settings = await client().send(new GetPhoneNumberSettingsCommand({}));
      expect(settings.CallingName).toBe('Acme Default');
      expect(settings.CallingNameUpdatedTimestamp).toBeInstanceOf(Date);
      await expect(client().send(new UpdatePhoneNumberSettingsCommand({ CallingName: 'x' }))).rejects.toBeInstanceOf(BadRequestException);

      const [after] = await provision('215');
      const [tollFree] = await search({ TollFreePrefix: '866', MaxResults: 1 });
      const [gb] = await search({ Country: 'GB', PhoneNumberType: 'Local', MaxResults: 1 });
      await order([tollFree]);
      await order([gb], 'SipMediaApplicationDialIn');
      emu().clock.advance(ORDER_PROCESSING_MS);
      expect(await getNumber(after)).toMatchObject({ CallingName: 'Acme Default', CallingNameStatus: 'UpdateInProgress' });
      expect((await getNumber(before)).CallingName).toBeUndefined();
      expect((await getNumber(tollFree)).CallingName).toBeUndefined();
      expect((await getNumber(gb)).CallingName).toBeUndefined();
      emu().clock.advance(CALLING_NAME_APPLY_MS);
      expect((await getNumber(after)).CallingNameStatus).toBe('UpdateSucceeded');
    });

    it('PN7: an assigned number cannot be deleted', async () => {
      const [n] = await provision('612');
      const connector = associateWithConnector(n);
      const refused = client().send(new DeletePhoneNumberCommand({ PhoneNumberId: n }));
      await expect(refused).rejects.toBeInstanceOf(BadRequestException);
      await expect(client().send(new DeletePhoneNumberCommand({ PhoneNumberId: n }))).rejects.toThrow(
        `Phone number ${n} must be unassigned before it is deleted; it is associated with VoiceConnectorId ${connector}.`,
      );
      expect((await getNumber(n)).Status).toBe('Assigned');
      await expect(client().send(new DeletePhoneNumberCommand({ PhoneNumberId: '+19995550100' }))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('PN7: a deleted number sits in the deletion queue and can be restored within 7 days', async () => {
      const [n] = await provision('808');
      await client().send(new DeletePhoneNumberCommand({ PhoneNumberId: n }));
      const queued = await getNumber(n);
      expect(queued.Status).toBe('DeleteInProgress');
      expect(queued.DeletionTimestamp).toBeInstanceOf(Date);
      await expect(client().send(new DeletePhoneNumberCommand({ PhoneNumberId: n }))).rejects.toThrow(/already in the deletion queue/);
      await expect(client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: n, Name: 'x' }))).rejects.toThrow(/deletion queue; restore it first/);
      expect(await search({ AreaCode: '808' })).not.toContain(n);

      emu().clock.advance(DELETION_QUEUE_MS - HOUR);
      const restored = await client().send(new RestorePhoneNumberCommand({ PhoneNumberId: n }));
      expect(restored.PhoneNumber).toMatchObject({ Status: 'Unassigned', E164PhoneNumber: n });
      expect(restored.PhoneNumber!.DeletionTimestamp).toBeUndefined();
      await expect(client().send(new RestorePhoneNumberCommand({ PhoneNumberId: n }))).rejects.toThrow(/not in the deletion queue/);
      emu().clock.advance(DELETION_QUEUE_MS);
      expect((await getNumber(n)).Status).toBe('Unassigned');
    });

    it('PN7: after 7 days in the deletion queue a number leaves the account and returns to the pool', async () => {
      const [n] = await provision('202');
      await client().send(new DeletePhoneNumberCommand({ PhoneNumberId: n }));
      emu().clock.advance(DELETION_QUEUE_MS - 1000);
      expect((await getNumber(n)).Status).toBe('DeleteInProgress');
      emu().clock.advance(1000);
      await expect(getNumber(n)).rejects.toBeInstanceOf(NotFoundException);
      await expect(client().send(new RestorePhoneNumberCommand({ PhoneNumberId: n }))).rejects.toBeInstanceOf(NotFoundException);
      expect(await search({ AreaCode: '202' })).toContain(n);
      // And it can be ordered again.
      await order([n]);
      emu().clock.advance(ORDER_PROCESSING_MS);
      expect((await getNumber(n)).Status).toBe('Unassigned');
    });

    it('API4: BatchUpdatePhoneNumber answers 200 with per-number errors and applies the rest', async () => {
      const [a, b] = await provision('713', 2);
      const [tollFree] = await search({ TollFreePrefix: '855', MaxResults: 1 });
      await order([tollFree]);
      emu().clock.advance(ORDER_PROCESSING_MS);
      associateWithConnector(b);
      const out = await client().send(
        new BatchUpdatePhoneNumberCommand({
          UpdatePhoneNumberRequestItems: [
            { PhoneNumberId: a, Name: 'Houston' },
            { PhoneNumberId: b, ProductType: 'SipMediaApplicationDialIn' },
            { PhoneNumberId: tollFree, CallingName: 'Acme' },
            { PhoneNumberId: '+19995550100', Name: 'ghost' },
          ],
        }),
      );
      expect(out.PhoneNumberErrors).toEqual([
        { PhoneNumberId: b, ErrorCode: 'Conflict', ErrorMessage: expect.stringContaining('only while it is unassigned') },
        { PhoneNumberId: tollFree, ErrorCode: 'BadRequest', ErrorMessage: expect.stringContaining('toll-free') },
        { PhoneNumberId: '+19995550100', ErrorCode: 'NotFound', ErrorMessage: expect.stringContaining('not in account') },
      ]);
      expect((await getNumber(a)).Name).toBe('Houston');
      expect((await getNumber(b)).ProductType).toBe('VoiceConnector');
      await expect(
        client().send(new BatchUpdatePhoneNumberCommand({ UpdatePhoneNumberRequestItems: [{ PhoneNumberId: a, Name: 'x' }, { PhoneNumberId: a, Name: 'y' }] })),
      ).rejects.toThrow(/appears more than once/);
      expect((await getNumber(a)).Name).toBe('Houston');
    });

    it('API4: BatchDeletePhoneNumber answers 200 with per-number errors (PN7 as PhoneNumberAssociationsExist) and queues the rest', async () => {
      const [a, b, c] = await provision('214', 3);
      associateWithConnector(b);
      const out = await client().send(new BatchDeletePhoneNumberCommand({ PhoneNumberIds: [a, b, '+19995550100', c] }));
      expect(out.PhoneNumberErrors).toEqual([
        { PhoneNumberId: b, ErrorCode: 'PhoneNumberAssociationsExist', ErrorMessage: expect.stringContaining('must be unassigned before it is deleted') },
        { PhoneNumberId: '+19995550100', ErrorCode: 'NotFound', ErrorMessage: expect.stringContaining('not in account') },
      ]);
      expect((await getNumber(a)).Status).toBe('DeleteInProgress');
      expect((await getNumber(c)).Status).toBe('DeleteInProgress');
      expect((await getNumber(b)).Status).toBe('Assigned');
      await expect(client().send(new BatchDeletePhoneNumberCommand({ PhoneNumberIds: [] }))).rejects.toBeInstanceOf(BadRequestException);
    });
  });

  describe('ValidateE911Address', () => {
    const address = { AwsAccountId: ACCOUNT, StreetNumber: '410', StreetInfo: 'Terry Ave N', City: 'Seattle', State: 'WA', Country: 'US', PostalCode: '98109' };

    it('accepts a well-formed US address as it is, and corrects a close one', async () => {
      const exact = await client().send(new ValidateE911AddressCommand(address));
      expect(exact.ValidationResult).toBe(0);
      expect(exact.AddressExternalId).toMatch(/^[0-9a-f-]{36}$/);
      expect(exact.Address).toMatchObject({ streetNumber: '410', streetName: 'TERRY', streetSuffix: 'AVE', postDirectional: 'N', city: 'SEATTLE', state: 'WA', postalCode: '98109', country: 'US' });
      expect(exact.Address!.postalCodePlus4).toMatch(/^\d{4}$/);
      const again = await client().send(new ValidateE911AddressCommand(address));
      expect(again.AddressExternalId).toBe(exact.AddressExternalId);

      const close = await client().send(new ValidateE911AddressCommand({ ...address, StreetInfo: 'Terry Avenue North', State: 'Washington', PostalCode: '98109-5210' }));
      expect(close.ValidationResult).toBe(1);
      expect(close.Address).toMatchObject({ streetName: 'TERRY', streetSuffix: 'AVE', postDirectional: 'N', state: 'WA', postalCodePlus4: '5210' });
    });

    it('refuses an address whose ZIP code is in another state, offering the close match as a candidate', async () => {
      const out = await client().send(new ValidateE911AddressCommand({ ...address, State: 'OR' }));
      expect(out.ValidationResult).toBe(2);
      expect(out.Address).toBeUndefined();
      expect(out.CandidateAddressList).toEqual([expect.objectContaining({ state: 'WA', postalCode: '98109', streetInfo: 'TERRY AVE N', streetNumber: '410' })]);
      const garbage = await client().send(new ValidateE911AddressCommand({ ...address, PostalCode: 'ABCDE' }));
      expect(garbage).toMatchObject({ ValidationResult: 2, CandidateAddressList: [] });
      const badNumber = await client().send(new ValidateE911AddressCommand({ ...address, StreetNumber: 'twelve' }));
      expect(badNumber.ValidationResult).toBe(2);
    });

    it('validates only US addresses of the caller account', async () => {
      await expect(client().send(new ValidateE911AddressCommand({ ...address, Country: 'CA' }))).rejects.toThrow(/only in the US/);
      await expect(client().send(new ValidateE911AddressCommand({ ...address, AwsAccountId: '999999999999' }))).rejects.toBeInstanceOf(ForbiddenException);
    });
  });
});
