# Runs the built installer for real on Windows (the Windows CI job, after
# installer/build.sh): the checks tests/integration/test_installer_wine.py makes under
# Wine with stand-ins, here with the real bundle, NTFS, Windows' cmd and PowerShell.
#   pwsh -File installer/windows/check_installer.ps1 [-Setup dist\GridCert-<v>-Setup.exe]
# Needs an elevated session for the /ALLUSERS part (GitHub's runners are). It installs
# into the real profile and removes everything again; run it on a throw-away machine.
param([string]$Setup = '')
$ErrorActionPreference = 'Stop'
if (-not $Setup) { $Setup = (Get-ChildItem dist\GridCert-*-Setup.exe | Select-Object -First 1).FullName }
$Setup = (Resolve-Path $Setup).Path

function Fail([string]$message) { throw "check_installer: FAILED: $message" }
function Ok([string]$message) { Write-Host "check_installer: ok: $message" }

# The installer with an exact argument string (as Intune/SCCM pass it); its exit code.
function Invoke-Exact([string]$exe, [string]$arguments, [string]$cwd = $PWD) {
  $p = Start-Process -FilePath $exe -ArgumentList $arguments -WorkingDirectory $cwd -Wait -PassThru
  return $p.ExitCode
}
function Wait-Gone([string]$path) {
  for ($i = 0; $i -lt 100 -and (Test-Path $path); $i++) { Start-Sleep -Milliseconds 200 }
  return -not (Test-Path $path)
}

$uninstallKey = 'Software\Microsoft\Windows\CurrentVersion\Uninstall\GridCert'
$userDir = Join-Path $env:LOCALAPPDATA 'Programs\GridCert'
$allDir = Join-Path $env:ProgramFiles 'GridCert'
$work = Join-Path $env:TEMP ("gridcert-check-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work | Out-Null

function Assert-Installed([string]$dir, [string]$root) {
  foreach ($name in 'GridCert.exe', 'gridcert.com', 'Uninstall.exe', 'GridCert-files.txt', '_internal') {
    if (-not (Test-Path (Join-Path $dir $name))) { Fail "$name missing in $dir" }
  }
  $entry = Get-ItemProperty "${root}:\$uninstallKey"
  if ($entry.InstallLocation -ne $dir) { Fail "InstallLocation is $($entry.InstallLocation), not $dir" }
  $own = (Get-ChildItem $dir -Recurse -File | Measure-Object Length -Sum).Sum / 1KB
  if ($entry.EstimatedSize -gt $own + 64) { Fail "EstimatedSize $($entry.EstimatedSize) KB > $own KB of files" }
  $envKey = if ($root -eq 'HKLM') { 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment' } else { 'HKCU:\Environment' }
  if (((Get-ItemProperty $envKey).Path -split ';') -notcontains $dir) { Fail "$dir is not on $root's PATH" }
}
function Assert-Removed([string]$dir, [string]$root) {
  if (Test-Path "${root}:\$uninstallKey") { Fail "$root Uninstall entry left" }
  if (Test-Path "${root}:\Software\Classes\GridCert.Certificate") { Fail "$root ProgID left" }
  if (Get-ItemProperty "${root}:\Software\Classes\.pfx\OpenWithProgids" -Name 'GridCert.Certificate' -ErrorAction SilentlyContinue) { Fail "$root .pfx Open-with left" }
  foreach ($name in 'GridCert.exe', 'gridcert.com', '_internal', 'GridCert-files.txt') {
    if (Test-Path (Join-Path $dir $name)) { Fail "$name left in $dir when Uninstall.exe returned" }
  }
  if (-not (Wait-Gone $dir)) { Fail "$dir still there" }
}

# 1. switches that install nothing
if ((Invoke-Exact $Setup '/S /NOSUCHSWITCH') -ne 2) { Fail 'an unknown switch did not exit 2' }
if ((Invoke-Exact $Setup "/S /PROFILE=$work\missing.toml") -ne 3) { Fail 'a missing profile did not exit 3' }
if (Test-Path "HKCU:\$uninstallKey") { Fail 'something was installed' }
Ok 'unknown switch 2, missing profile 3, nothing installed'

# 2. per user; `gridcert` resolves to gridcert.com in cmd and PowerShell
if ((Invoke-Exact $Setup '/S /CURRENTUSER') -ne 0) { Fail 'per-user /S' }
Assert-Installed $userDir 'HKCU'
$found = (cmd /c "set PATH=$userDir;%PATH% && where gridcert" | Select-Object -First 1)
if ($found -ne (Join-Path $userDir 'gridcert.com')) { Fail "cmd finds $found" }
$saved = $env:PATH; $env:PATH = "$userDir;$env:PATH"
$ps = (Get-Command gridcert).Source; $env:PATH = $saved
if ($ps -ne (Join-Path $userDir 'gridcert.com')) { Fail "PowerShell finds $ps" }
Ok 'per-user install; gridcert = gridcert.com in cmd and PowerShell'

# 3. /PROFILE forms: the installer exits with the real CLI's exit code
$site = Join-Path $work 'Site A'
New-Item -ItemType Directory -Path $site | Out-Null
Set-Content (Join-Path $site 'site.toml') "name = 'check'`nfiles = ['missing.pfx']`n"
& (Join-Path $userDir 'gridcert.com') install --profile (Join-Path $site 'site.toml') --yes *> $null
$expected = $LASTEXITCODE
if ($expected -eq 0) { Fail 'the check profile should fail' }
foreach ($form in "`"/PROFILE=$site\site.toml`"", "/PROFILE=`"$site\site.toml`"", ('/PROFILE=' + ($site -replace '\\', '/') + '/site.toml')) {
  $code = Invoke-Exact $Setup "/S $form"
  if ($code -ne $expected) { Fail "$form exited $code, the CLI $expected" }
}
if ((Invoke-Exact $Setup '/S /PROFILE=site.toml' $site) -ne $expected) { Fail 'relative /PROFILE' }
Ok "every /PROFILE form passes the CLI's exit code ($expected)"

# 4. upgrade while a DLL is held open: 2, nothing changed; the uninstaller too
$dll = (Get-ChildItem (Join-Path $userDir '_internal') -Recurse -Filter *.dll | Select-Object -First 1).FullName
$before = (Get-ChildItem $userDir -Recurse -File | Get-FileHash | ForEach-Object Hash) -join ','
$held = [System.IO.File]::Open($dll, 'Open', 'Read', 'None')
try {
  if ((Invoke-Exact $Setup '/S') -ne 2) { Fail 'upgrade while running did not exit 2' }
  if ((Invoke-Exact (Join-Path $userDir 'Uninstall.exe') '/S') -ne 2) { Fail 'uninstall while running did not exit 2' }
} finally { $held.Close() }
$after = (Get-ChildItem $userDir -Recurse -File | Get-FileHash | ForEach-Object Hash) -join ','
if ($after -ne $before) { Fail 'files changed while GridCert was running' }
if ((Invoke-Exact $Setup '/S') -ne 0) { Fail 'upgrade after closing' }
Ok 'running instance: installer and uninstaller exit 2, nothing changed'

# 5. uninstall: the exit code arrives when everything is gone
if ((Invoke-Exact (Join-Path $userDir 'Uninstall.exe') '/S') -ne 0) { Fail 'uninstall' }
Assert-Removed $userDir 'HKCU'
Ok 'per-user uninstall'

# 6. /D= with spaces, upgrade follows it; a folder holding other files keeps them
$tools = Join-Path $work 'Other Tools'
New-Item -ItemType Directory -Path (Join-Path $tools '_internal') | Out-Null
Set-Content (Join-Path $tools '_internal\other.dll') 'another program'
if ((Invoke-Exact $Setup "/S /D=$tools") -ne 0) { Fail '/D=' }
$own = Join-Path $tools 'GridCert'
Assert-Installed $own 'HKCU'
if ((Invoke-Exact $Setup '/S') -ne 0) { Fail 'upgrade over /D=' }
if (Test-Path $userDir) { Fail 'the upgrade made a second copy' }
if ((Invoke-Exact (Join-Path $own 'Uninstall.exe') '/S') -ne 0) { Fail 'uninstall from /D=' }
Assert-Removed $own 'HKCU'
if (-not (Test-Path (Join-Path $tools '_internal\other.dll'))) { Fail 'another program lost its file' }
Ok '/D= own folder, upgrade in place, only GridCert removed'

# 7. all users (elevated), uninstalled without a switch
if ((Invoke-Exact $Setup '/S /ALLUSERS') -ne 0) { Fail '/ALLUSERS' }
Assert-Installed $allDir 'HKLM'
if ((Invoke-Exact (Join-Path $allDir 'Uninstall.exe') '/S') -ne 0) { Fail 'all-users uninstall' }
Assert-Removed $allDir 'HKLM'
Ok 'all users: installed and removed by Uninstall.exe /S'

# 8. item 2: what Uninstall.exe asks Windows for when Apps & features starts it without
#    administrator rights on an all-users install: "runas" of itself with its switches plus
#    /ELEVATED, working in %WINDIR%. Started here the same way (Start-Process -Verb RunAs is
#    ShellExecuteEx "runas"; this runner is elevated with UAC off, so there is no prompt),
#    silent because no one clicks here: the copy removes everything, Program Files included.
#    (The non-elevated first run and the UAC prompt itself need a machine with UAC on.)
if ((Invoke-Exact $Setup '/S /ALLUSERS') -ne 0) { Fail '/ALLUSERS (item 2)' }
Assert-Installed $allDir 'HKLM'
$shortcut = Join-Path $env:ProgramData 'Microsoft\Windows\Start Menu\Programs\GridCert.lnk'
if (-not (Test-Path $shortcut)) { Fail "no all-users shortcut $shortcut" }
$p = Start-Process -FilePath (Join-Path $allDir 'Uninstall.exe') -ArgumentList '/S /ELEVATED' -Verb RunAs -WorkingDirectory $env:WINDIR -Wait -PassThru
if ($p.ExitCode -ne 0) { Fail "the elevated copy (runas, /S /ELEVATED) exited $($p.ExitCode)" }
Assert-Removed $allDir 'HKLM'
if (Test-Path $shortcut) { Fail 'all-users shortcut left' }
$machinePath = (Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment').Path -split ';'
if ($machinePath -contains $allDir) { Fail "$allDir left on the machine PATH" }
Ok 'all users: the elevated copy started through runas with /ELEVATED removed everything'

Remove-Item -Recurse -Force $work
