// The schedules in deploy/: the Kubernetes CronJob (parsed with yaml) and the systemd service and
// timer (parsed as INI). Each is checked against the rules of docs/operations.md and against the
// Dockerfile and the exit code catalogue it must agree with.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  execForm,
  finalStage,
  imageEnv,
  imageUser,
  imageWorkdir,
  keyword,
  notRetriedExitCodes,
  readUnit,
  unitValue,
  yamlDocuments,
} from "../helpers/deploy.ts";

// The parts of the CronJob this test reads, typed; anything else in the file is let through.
const $Mount = z.object({
  name: z.string(),
  mountPath: z.string(),
  readOnly: z.boolean().optional(),
});
const $Volume = z.looseObject({
  name: z.string(),
  configMap: z.looseObject({ name: z.string() }).optional(),
  secret: z.looseObject({ secretName: z.string() }).optional(),
  persistentVolumeClaim: z.looseObject({ claimName: z.string() }).optional(),
  emptyDir: z.looseObject({ medium: z.string().optional() }).optional(),
});
const $Container = z.looseObject({
  name: z.string(),
  args: z.array(z.string()),
  securityContext: z.looseObject({
    runAsNonRoot: z.boolean(),
    readOnlyRootFilesystem: z.boolean(),
    allowPrivilegeEscalation: z.boolean(),
    capabilities: z.looseObject({ drop: z.array(z.string()), add: z.array(z.string()).optional() }),
  }),
  volumeMounts: z.array($Mount),
});
const $PodSpec = z.looseObject({
  restartPolicy: z.string(),
  automountServiceAccountToken: z.boolean(),
  enableServiceLinks: z.boolean(),
  securityContext: z.looseObject({
    runAsNonRoot: z.boolean(),
    runAsUser: z.number(),
    runAsGroup: z.number(),
  }),
  containers: z.tuple([$Container]),
  volumes: z.array($Volume),
});
const $CronJob = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal("CronJob"),
  spec: z.looseObject({
    schedule: z.string(),
    timeZone: z.string(),
    concurrencyPolicy: z.string(),
    startingDeadlineSeconds: z.number(),
    jobTemplate: z.looseObject({
      spec: z.looseObject({
        backoffLimit: z.number(),
        activeDeadlineSeconds: z.number(),
        podFailurePolicy: z.looseObject({
          rules: z.array(
            z.looseObject({ action: z.string(), onExitCodes: z.unknown().optional() }),
          ),
        }),
        template: z.looseObject({ spec: $PodSpec }),
      }),
    }),
  }),
});
const $Other = z.looseObject({ kind: z.string(), metadata: z.looseObject({ name: z.string() }) });

const documents = yamlDocuments("deploy/kubernetes/cronjob.yaml");
const cronJob = $CronJob.parse(documents.find((d) => d.kind === "CronJob"));
const others = documents.filter((d) => d.kind !== "CronJob").map((d) => $Other.parse(d));
const jobSpec = cronJob.spec.jobTemplate.spec;
const podSpec = jobSpec.template.spec;
const [container] = podSpec.containers;

const service = readUnit("deploy/systemd/phin-submit.service");
const timer = readUnit("deploy/systemd/phin-submit.timer");

/** The mount whose folder holds `file` (the longest mount path that is a prefix of it). */
function mountFor(file: string): z.infer<typeof $Mount> | undefined {
  return container.volumeMounts
    .filter((m) => file === m.mountPath || file.startsWith(`${m.mountPath}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
}
const volume = (name: string | undefined) => podSpec.volumes.find((v) => v.name === name);

describe("the Kubernetes CronJob", () => {
  it("runs monthly in London time, one run at a time, late by at most a bounded delay", () => {
    expect(cronJob.apiVersion).toBe("batch/v1");
    expect(cronJob.spec.timeZone).toBe("Europe/London");
    expect(cronJob.spec.concurrencyPolicy).toBe("Forbid");
    expect(cronJob.spec.startingDeadlineSeconds).toBeGreaterThan(0);
    const [minute, hour, day, month, weekday] = String(cronJob.spec.schedule).split(" ");
    expect([month, weekday]).toEqual(["*", "*"]);
    // One day of the month every month has, and not 01:00-01:59, which London's clock changes
    // skip (March) or repeat (October).
    expect(Number(day)).toBeGreaterThanOrEqual(1);
    expect(Number(day)).toBeLessThanOrEqual(28);
    expect(Number(hour) !== 1 && Number(hour) < 24 && Number(minute) < 60).toBe(true);
  });

  it("retries only exit 75 and fails at once on every code that needs a person", () => {
    expect(jobSpec.backoffLimit).toBeGreaterThan(0);
    expect(jobSpec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(podSpec.restartPolicy).toBe("Never");
    const failJob = jobSpec.podFailurePolicy.rules.find((r) => r.action === "FailJob");
    expect(failJob?.onExitCodes).toEqual({
      containerName: container.name,
      operator: "In",
      values: notRetriedExitCodes,
    });
  });

  it("runs the image's command as its non-root user", () => {
    expect(container.args).toEqual(execForm(keyword(finalStage(), "CMD").at(-1)));
    expect(podSpec.securityContext.runAsNonRoot).toBe(true);
    expect(podSpec.securityContext.runAsUser).toBe(imageUser().uid);
    expect(podSpec.securityContext.runAsGroup).toBe(imageUser().gid);
    expect(podSpec.automountServiceAccountToken).toBe(false);
    // Service links would add variables; phin-submit refuses PHIN_* ones it does not know.
    expect(podSpec.enableServiceLinks).toBe(false);
  });

  it("locks the container down: read-only root, no escalation, no capabilities", () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
  });

  it("mounts the config, the secrets and the state volume where the image expects them", () => {
    const env = imageEnv();
    const config = mountFor(`${imageWorkdir()}/phin.config.json`);
    expect(config?.readOnly).toBe(true);
    expect(volume(config?.name)?.configMap?.name).toBeTruthy();

    const secrets = mountFor(env.get("PHIN_PSEUDONYM_KEY_FILE") ?? "");
    expect(secrets?.readOnly).toBe(true);
    expect(volume(secrets?.name)?.secret?.secretName).toBeTruthy();

    // The state directory is a folder inside a persistent volume claim defined with the job.
    const stateDir = env.get("PHIN_STATE_DIR") ?? "";
    const state = mountFor(stateDir);
    expect(state?.mountPath).toBe(path.dirname(stateDir));
    expect(state?.readOnly).toBeUndefined();
    const claim = volume(state?.name)?.persistentVolumeClaim?.claimName;
    expect(
      others.some((d) => d.kind === "PersistentVolumeClaim" && d.metadata.name === claim),
    ).toBe(true);
  });

  it("gives the read-only root exactly two writable places: the state volume and /tmp", () => {
    const writable = container.volumeMounts.filter((m) => m.readOnly !== true);
    expect(writable.map((m) => m.mountPath).sort()).toEqual(
      [path.dirname(imageEnv().get("PHIN_STATE_DIR") ?? ""), "/tmp"].sort(),
    );
    // /tmp is memory-backed and only holds Node's compile cache.
    expect(mountFor(imageEnv().get("NODE_COMPILE_CACHE") ?? "")?.mountPath).toBe("/tmp");
    expect(volume("tmp")?.emptyDir?.medium).toBe("Memory");
  });
});

describe("the systemd service and timer", () => {
  const env = new Map(
    (service.get("Service")?.get("Environment") ?? []).map((e) => {
      const eq = e.indexOf("=");
      return [e.slice(0, eq), e.slice(eq + 1)] as const;
    }),
  );

  it("runs `submit --period previous` once, as its own user", () => {
    expect(unitValue(service, "Service", "Type")).toBe("oneshot");
    const user = unitValue(service, "Service", "User");
    expect(user).toBeTruthy();
    expect(user).not.toBe("root");
    expect(unitValue(service, "Service", "ExecStart")).toMatch(
      /\/bin\/phin-submit\.js submit --period previous$/,
    );
  });

  it("is hardened: read-only system, private /tmp, no new privileges", () => {
    expect(unitValue(service, "Service", "ProtectSystem")).toBe("strict");
    expect(unitValue(service, "Service", "PrivateTmp")).toBe("true");
    expect(unitValue(service, "Service", "NoNewPrivileges")).toBe("true");
    expect(unitValue(service, "Service", "ProtectHome")).toBe("true");
    expect(unitValue(service, "Service", "CapabilityBoundingSet")).toBe("");
    // V8 needs writable executable memory: this option would kill the run at start.
    expect(unitValue(service, "Service", "MemoryDenyWriteExecute")).toBeUndefined();
  });

  it("can write its state directory and the compile cache, nothing else", () => {
    const stateDir = env.get("PHIN_STATE_DIR");
    expect(stateDir).toBe("/var/lib/phin-submit");
    expect(service.get("Service")?.get("ReadWritePaths")).toEqual([stateDir]);
    expect(unitValue(service, "Service", "StateDirectory")).toBe("phin-submit");
    expect(unitValue(service, "Service", "StateDirectoryMode")).toBe("0700");
    expect(env.get("NODE_COMPILE_CACHE")).toBe(
      `/var/cache/${unitValue(service, "Service", "CacheDirectory")}`,
    );
  });

  it("restarts only after exit 75, a bounded number of times", () => {
    expect(unitValue(service, "Service", "Restart")).toBe("on-failure");
    const prevented = (unitValue(service, "Service", "RestartPreventExitStatus") ?? "")
      .split(/\s+/)
      .map(Number);
    expect(prevented).toEqual(notRetriedExitCodes);
    expect(Number(unitValue(service, "Unit", "StartLimitBurst"))).toBeGreaterThan(1);
  });

  it("fires monthly on the CronJob's day and time, and catches up a missed start", () => {
    expect(unitValue(timer, "Timer", "Persistent")).toBe("true");
    expect(unitValue(timer, "Timer", "Unit")).toBe("phin-submit.service");
    expect(unitValue(timer, "Install", "WantedBy")).toBe("timers.target");
    const [minute, hour, day] = String(cronJob.spec.schedule).split(" ").map(Number);
    const pad = (n: number | undefined) => String(n).padStart(2, "0");
    expect(unitValue(timer, "Timer", "OnCalendar")).toBe(
      `*-*-${pad(day)} ${pad(hour)}:${pad(minute)}:00 ${cronJob.spec.timeZone}`,
    );
  });
});
