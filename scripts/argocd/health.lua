-- kstatus-based health of a chimevoice.io object. Every kind writes the same status contract
-- (src/reconcile/conditions.ts): Ready always; Reconciling and Stalled only while True; Drifted;
-- kind-specific warnings; status.observedGeneration.
-- Argo CD runs custom checks without the string library (only base, table, package and a safe os),
-- so this uses nothing but `..`, comparisons and ipairs.

local hs = { status = "Progressing", message = "" }

-- The condition of a type, or nil.
local function condition(kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

-- Written for the current generation. Deletion bumps metadata.generation, so during a deletion
-- this tells what the controller said about the deletion from what it said before it.
local function current(c)
  local generation = obj.metadata.generation
  return c.observedGeneration == nil or generation == nil or c.observedGeneration >= generation
end

local function withReason(c)
  if c.reason ~= nil and c.reason ~= "" then
    return c.reason .. ": " .. (c.message or "")
  end
  return c.message or ""
end

-- Deleting. The finalizer removes the AWS resource (deletionPolicy Delete) after what depends on
-- it, then lets the object go. A deletion only a person can unblock (reason DeletionBlocked: a
-- resource this project does not manage still uses it; or AWS refused for good) is Degraded, so it
-- does not pass for a slow one. Argo CD itself reports any object with a deletionTimestamp as
-- "Pending deletion" before it runs a custom check; this branch serves the other callers.
if obj.metadata.deletionTimestamp ~= nil then
  local stalled = condition("Stalled")
  if isTrue(stalled) and current(stalled) then
    hs.status = "Degraded"
    hs.message = "Deletion stalled: " .. withReason(stalled)
    return hs
  end
  local reconciling = condition("Reconciling")
  if isTrue(reconciling) and current(reconciling) then
    hs.message = "Deleting: " .. withReason(reconciling)
  else
    hs.message = "Deleting: waiting for the finalizer"
  end
  return hs
end

-- Not reconciled yet, or not since the spec last changed: the conditions describe an older spec.
local generation = obj.metadata.generation
local observed = nil
if obj.status ~= nil then
  observed = obj.status.observedGeneration
end
if observed == nil or observed < 0 then
  hs.message = "Waiting for the controller to reconcile the object for the first time"
  return hs
end
if generation ~= nil and observed < generation then
  hs.message = "Waiting for the controller to reconcile generation " .. generation .. " (last reconciled: " .. observed .. ")"
  return hs
end

local stalled = condition("Stalled")
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = withReason(stalled)
  return hs
end

local ready = condition("Ready")
if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = ready.message or ""
  -- driftPolicy Report: AWS differs and is left as is on purpose; still Healthy, but say so.
  local drifted = condition("Drifted")
  if isTrue(drifted) then
    hs.message = "Drift reported: " .. (drifted.message or "")
  end
  -- Kind-specific warnings (DuplicateRecording, CallingNamePending, ...) do not make it unhealthy.
  for _, c in ipairs(obj.status.conditions) do
    if c.status == "True" and c.type ~= "Ready" and c.type ~= "Reconciling" and c.type ~= "Stalled" and c.type ~= "Drifted" then
      hs.message = hs.message .. "; " .. c.type .. ": " .. (c.message or "")
    end
  end
  return hs
end

local reconciling = condition("Reconciling")
if isTrue(reconciling) then
  hs.message = withReason(reconciling)
elseif ready ~= nil then
  hs.message = withReason(ready)
else
  hs.message = "Waiting for the controller to report the Ready condition"
end
return hs
