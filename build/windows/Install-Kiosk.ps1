#Requires -RunAsAdministrator
#Requires -Version 5.1
<#
.SYNOPSIS
    Turns a Windows 10/11 Enterprise, Education or IoT Enterprise PC into an EPN Kiosk.

.DESCRIPTION
    Creates the local account EPN-Kiosk (random password, signs in automatically), makes
    "EPN Kiosk.exe" that account's shell through Shell Launcher (started again whenever it
    exits), and blocks with the Keyboard Filter the keys that the application itself cannot
    block: Ctrl+Alt+Del, Windows keys, Alt+Tab, Ctrl+Esc, Ctrl+Shift+Esc, the accessibility
    shortcuts (sticky keys, filter keys, high contrast, mouse keys). Administrators are not
    filtered. Policies for the account hide what the Ctrl+Alt+Del screen still offers.

    Idempotent: every step reads the current state first and says "already" when there is
    nothing to do. Run with -WhatIf to see every change without making any.

    Windows 10/11 Pro has neither Shell Launcher nor Keyboard Filter: the script stops there.

    When the two Windows features are switched on for the first time, Windows needs a
    restart before they can be configured: restart and run the script again.

.PARAMETER KioskPath
    The kiosk executable. Default: the per-machine NSIS install path.

.PARAMETER AutologonPath
    Path to Sysinternals Autologon (Autologon64.exe). Recommended: it stores the password as
    an LSA secret, not in the registry.

.PARAMETER RegistryAutoLogon
    Without Autologon: put the password in the Winlogon registry value DefaultPassword.
    Any administrator (and any program running as one) can read it there.

.PARAMETER BreakoutKeyScanCode
    Scan code of the key that, pressed five times, brings an administrator to the sign-in
    screen. Default: leave Windows' setting (the left Windows key).

.EXAMPLE
    .\Install-Kiosk.ps1 -AutologonPath C:\Tools\Autologon64.exe -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidatePattern('^[A-Za-z0-9._-]{1,20}$')]
    [string]$UserName = 'EPN-Kiosk',

    [string]$KioskPath = (Join-Path $env:ProgramFiles 'EPN Kiosk\EPN Kiosk.exe'),

    [string]$AutologonPath,

    [switch]$RegistryAutoLogon,

    [ValidateRange(1, 255)]
    [int]$BreakoutKeyScanCode
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$EmbeddedNamespace = 'root\standardcimv2\embedded'
$WinlogonKey = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon'
# Shell Launcher actions when the shell exits.
$RestartShell = 0
$DoNothing = 3

# Keys only the operating system can block (docs/security.md, section 3).
$BlockedPredefinedKeys = @(
    'Ctrl+Alt+Del', 'Shift+Ctrl+Esc', 'Win+L',
    'Windows', 'Ctrl+Esc', 'Alt+Tab', 'Alt+Esc', 'Alt+Space', 'Alt+F4', 'Application',
    'Win+Tab', 'Win+D', 'Win+E', 'Win+R', 'Win+M', 'Win+T', 'Win+B', 'Win+I', 'Win+A',
    'Win+U', 'LShift+LAlt+PrintScrn', 'LShift+LAlt+NumLock',
    'LaunchMail', 'LaunchMediaSelect', 'LaunchApp1', 'LaunchApp2', 'BrowserSearch'
)
# Both Windows keys on their own, so every Win+ chord (also ones added in later Windows versions) is blocked.
$BlockedCustomKeys = @('LWin', 'RWin')

function Write-Already([string]$Message) { Write-Host "already: $Message" }

function New-RandomPassword {
    $bytes = New-Object byte[] 32
    $rng = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $rng.GetBytes($bytes) } finally { $rng.Dispose() }
    # Base64 of 32 random bytes, plus characters that satisfy any complexity policy.
    return ([Convert]::ToBase64String($bytes) + 'a1!Z')
}

function Set-RegistryValue([string]$Path, [string]$Name, $Value, [string]$Type = 'DWord') {
    $current = $null
    if (Test-Path -LiteralPath $Path) {
        $current = (Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue)
    }
    if ($null -ne $current -and "$($current.$Name)" -eq "$Value") {
        Write-Already "$Path\$Name = $Value"
        return
    }
    if ($PSCmdlet.ShouldProcess("$Path\$Name", "Set to $Value")) {
        if (-not (Test-Path -LiteralPath $Path)) { New-Item -Path $Path -Force | Out-Null }
        New-ItemProperty -LiteralPath $Path -Name $Name -Value $Value -PropertyType $Type -Force | Out-Null
    }
}

# --- 1. Edition, features, application ---------------------------------------------------
$restartNeeded = $false
$featuresWereOff = $false
foreach ($feature in 'Client-EmbeddedShellLauncher', 'Client-KeyboardFilter') {
    $state = Get-WindowsOptionalFeature -Online -FeatureName $feature -ErrorAction SilentlyContinue
    if ($null -eq $state) {
        throw "This edition of Windows has no '$feature'. Shell Launcher and Keyboard Filter need Windows 10/11 Enterprise, Education or IoT Enterprise; Pro and Home lack them."
    }
    if ($state.State -eq 'Enabled') {
        Write-Already "the Windows feature $feature is on"
    } else {
        $featuresWereOff = $true
    }
    if ($state.State -ne 'Enabled' -and $PSCmdlet.ShouldProcess($feature, 'Enable Windows feature')) {
        $result = Enable-WindowsOptionalFeature -Online -FeatureName $feature -All -NoRestart
        if ($result.RestartNeeded) { $restartNeeded = $true }
    }
}
if ($restartNeeded -or ($featuresWereOff -and $WhatIfPreference)) {
    Write-Warning 'Windows must restart before Shell Launcher and Keyboard Filter can be configured. Restart, then run this script again (the account, the shell and the keys are set up then).'
    return
}

if (-not (Test-Path -LiteralPath $KioskPath -PathType Leaf)) {
    throw "The kiosk is not installed at '$KioskPath'. Install EPN Kiosk first (per machine), or give -KioskPath."
}

# --- 2. The account ---------------------------------------------------------------------------
$user = Get-LocalUser -Name $UserName -ErrorAction SilentlyContinue
$newPassword = $null
if ($null -ne $user) {
    Write-Already "the local account $UserName exists"
} elseif ($PSCmdlet.ShouldProcess($UserName, 'Create local account with a random password')) {
    $newPassword = New-RandomPassword
    $secure = ConvertTo-SecureString $newPassword -AsPlainText -Force
    $user = New-LocalUser -Name $UserName -Password $secure -FullName 'EPN Kiosk' `
        -Description 'EPN Kiosk: public computer session' -PasswordNeverExpires -UserMayNotChangePassword -AccountNeverExpires
}

if ($null -ne $user) {
    $sid = $user.SID.Value
    $usersGroup = Get-LocalGroup -SID 'S-1-5-32-545'
    $adminsGroup = Get-LocalGroup -SID 'S-1-5-32-544'
    $inUsers = @(Get-LocalGroupMember -Group $usersGroup | Where-Object { $_.SID.Value -eq $sid }).Count -gt 0
    if ($inUsers) {
        Write-Already "$UserName is in $($usersGroup.Name)"
    } elseif ($PSCmdlet.ShouldProcess($UserName, "Add to $($usersGroup.Name)")) {
        Add-LocalGroupMember -Group $usersGroup -Member $user
    }
    $inAdmins = @(Get-LocalGroupMember -Group $adminsGroup | Where-Object { $_.SID.Value -eq $sid }).Count -gt 0
    if (-not $inAdmins) {
        Write-Already "$UserName is not an administrator"
    } elseif ($PSCmdlet.ShouldProcess($UserName, "Remove from $($adminsGroup.Name)")) {
        Remove-LocalGroupMember -Group $adminsGroup -Member $user
    }
} else {
    $sid = $null
    Write-Host "what if: the steps that need the account's SID (shell, policies) follow once it exists"
}

# --- 3. Automatic sign-in --------------------------------------------------------------------
$winlogon = Get-ItemProperty -LiteralPath $WinlogonKey
$autoLogonOn = ("$($winlogon.PSObject.Properties['AutoAdminLogon'].Value)" -eq '1') -and
    ("$($winlogon.PSObject.Properties['DefaultUserName'].Value)" -eq $UserName)
if ($autoLogonOn -and $null -eq $newPassword) {
    Write-Already "Windows signs in as $UserName automatically"
} elseif ($AutologonPath) {
    if (-not (Test-Path -LiteralPath $AutologonPath -PathType Leaf)) { throw "Autologon not found at '$AutologonPath'." }
    if ($PSCmdlet.ShouldProcess($UserName, 'Set a new random password and sign in automatically (Sysinternals Autologon, LSA secret)')) {
        if ($null -eq $newPassword) {
            $newPassword = New-RandomPassword
            Set-LocalUser -Name $UserName -Password (ConvertTo-SecureString $newPassword -AsPlainText -Force)
        }
        # The password is on Autologon's command line for the instant it runs; nothing keeps it.
        & $AutologonPath '/accepteula' $UserName $env:COMPUTERNAME $newPassword | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Autologon failed (exit code $LASTEXITCODE)." }
    }
} elseif ($RegistryAutoLogon) {
    Write-Warning 'DefaultPassword in the registry is readable by every administrator. Prefer -AutologonPath.'
    if ($PSCmdlet.ShouldProcess($UserName, 'Set a new random password and sign in automatically (Winlogon DefaultPassword)')) {
        if ($null -eq $newPassword) {
            $newPassword = New-RandomPassword
            Set-LocalUser -Name $UserName -Password (ConvertTo-SecureString $newPassword -AsPlainText -Force)
        }
        Set-ItemProperty -LiteralPath $WinlogonKey -Name AutoAdminLogon -Value '1'
        Set-ItemProperty -LiteralPath $WinlogonKey -Name DefaultUserName -Value $UserName
        Set-ItemProperty -LiteralPath $WinlogonKey -Name DefaultDomainName -Value $env:COMPUTERNAME
        Set-ItemProperty -LiteralPath $WinlogonKey -Name DefaultPassword -Value $newPassword
    }
} else {
    Write-Warning "Automatic sign-in is not set up: give -AutologonPath (Sysinternals Autologon) or -RegistryAutoLogon."
}
$newPassword = $null

# --- 4. Shell Launcher: the kiosk is the account's shell, started again when it exits ----
if ($null -ne $sid) {
    $shell = '"' + $KioskPath + '"'
    $current = $null
    try {
        $current = Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName GetCustomShell -Arguments @{ Sid = $sid }
    } catch {
        $current = $null
    }
    if ($null -ne $current -and $current.ReturnValue -eq 0 -and $current.Shell -eq $shell -and $current.DefaultAction -eq $RestartShell) {
        Write-Already "the shell of $UserName is $shell (restarted when it exits)"
    } elseif ($PSCmdlet.ShouldProcess($UserName, "Set shell to $shell, restarted when it exits")) {
        if ($null -ne $current -and $current.ReturnValue -eq 0) {
            Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName RemoveCustomShell -Arguments @{ Sid = $sid } | Out-Null
        }
        Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName SetCustomShell `
            -Arguments @{ Sid = $sid; Shell = $shell; DefaultAction = [int]$RestartShell } | Out-Null
    }
}
$default = Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName GetDefaultShell
if ($default.Shell -eq 'explorer.exe') {
    Write-Already 'every other account keeps explorer.exe'
} elseif ($PSCmdlet.ShouldProcess('Shell Launcher', 'Set explorer.exe as the shell of every other account')) {
    Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName SetDefaultShell `
        -Arguments @{ Shell = 'explorer.exe'; DefaultAction = [int]$DoNothing } | Out-Null
}
$enabled = Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName IsEnabled
if ($enabled.Enabled) {
    Write-Already 'Shell Launcher is on'
} elseif ($PSCmdlet.ShouldProcess('Shell Launcher', 'Turn on')) {
    Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName SetEnabled -Arguments @{ Enabled = $true } | Out-Null
}

# --- 5. Keyboard Filter ------------------------------------------------------------------------
function Set-KeyboardFilterSetting([string]$Name, [string]$Value) {
    $setting = Get-CimInstance -Namespace $EmbeddedNamespace -ClassName WEKF_Settings -Filter "Name='$Name'"
    if ($null -eq $setting) { Write-Warning "Keyboard Filter has no setting '$Name' on this Windows version"; return }
    if ("$($setting.Value)" -eq $Value) { Write-Already "Keyboard Filter $Name = $Value"; return }
    if ($PSCmdlet.ShouldProcess("Keyboard Filter $Name", "Set to $Value")) {
        Set-CimInstance -InputObject $setting -Property @{ Value = $Value } | Out-Null
    }
}
Set-KeyboardFilterSetting 'DisableKeyboardFilterForAdministrators' 'true'
Set-KeyboardFilterSetting 'ForceOffAccessibility' 'true'
if ($PSBoundParameters.ContainsKey('BreakoutKeyScanCode')) {
    Set-KeyboardFilterSetting 'BreakoutKeyScanCode' "$BreakoutKeyScanCode"
}
foreach ($id in $BlockedPredefinedKeys) {
    $key = Get-CimInstance -Namespace $EmbeddedNamespace -ClassName WEKF_PredefinedKey -Filter "Id='$id'"
    if ($null -eq $key) { Write-Warning "Keyboard Filter knows no predefined key '$id' on this Windows version"; continue }
    if ($key.Enabled) {
        Write-Already "Keyboard Filter blocks $id"
    } elseif ($PSCmdlet.ShouldProcess("Keyboard Filter $id", 'Block')) {
        Set-CimInstance -InputObject $key -Property @{ Enabled = $true } | Out-Null
    }
}
foreach ($id in $BlockedCustomKeys) {
    $key = Get-CimInstance -Namespace $EmbeddedNamespace -ClassName WEKF_CustomKey -Filter "Id='$id'"
    if ($null -ne $key -and $key.Enabled) {
        Write-Already "Keyboard Filter blocks $id"
    } elseif ($PSCmdlet.ShouldProcess("Keyboard Filter $id", 'Block')) {
        if ($null -eq $key) {
            Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WEKF_CustomKey -MethodName Add -Arguments @{ CustomKey = $id } | Out-Null
        } else {
            Set-CimInstance -InputObject $key -Property @{ Enabled = $true } | Out-Null
        }
    }
}

# --- 6. Policies for the account: what the Ctrl+Alt+Del screen and the session still offer ---
if ($null -ne $sid) {
    $profileKey = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\$sid"
    if (-not (Test-Path -LiteralPath $profileKey)) {
        if ($PSCmdlet.ShouldProcess($UserName, 'Create the user profile (so its policies can be written now)')) {
            Add-Type -Namespace EpnKiosk -Name UserEnv -MemberDefinition @'
[DllImport("userenv.dll", CharSet = CharSet.Unicode, SetLastError = true)]
public static extern int CreateProfile(string pszUserSid, string pszUserName, System.Text.StringBuilder pszProfilePath, uint cchProfilePath);
'@
            $path = New-Object System.Text.StringBuilder 260
            $hr = [EpnKiosk.UserEnv]::CreateProfile($sid, $UserName, $path, 260)
            if ($hr -ne 0) { throw ('CreateProfile failed: 0x{0:X8}' -f $hr) }
        }
    }
    $hiveRoot = "Registry::HKEY_USERS\$sid"
    $loadedHere = $false
    if (-not (Test-Path -LiteralPath $hiveRoot) -and (Test-Path -LiteralPath $profileKey)) {
        $profilePath = (Get-ItemProperty -LiteralPath $profileKey).ProfileImagePath
        $hivePath = Join-Path ([Environment]::ExpandEnvironmentVariables($profilePath)) 'NTUSER.DAT'
        # Loading the hive to read and write it changes nothing for the account; not a ShouldProcess step.
        & reg.exe load "HKU\$sid" $hivePath | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Could not load $hivePath." }
        $loadedHere = $true
    }
    if (Test-Path -LiteralPath $hiveRoot) {
        try {
            $system = "$hiveRoot\Software\Microsoft\Windows\CurrentVersion\Policies\System"
            $explorer = "$hiveRoot\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer"
            Set-RegistryValue $system 'DisableLockWorkstation' 1
            Set-RegistryValue $system 'DisableChangePassword' 1
            Set-RegistryValue $system 'DisableTaskMgr' 1
            Set-RegistryValue $explorer 'NoLogoff' 1
            Set-RegistryValue $explorer 'NoClose' 1
            # Accessibility shortcuts off (the feature stays usable when staff turn it on in settings).
            Set-RegistryValue "$hiveRoot\Control Panel\Accessibility\StickyKeys" 'Flags' '506' 'String'
            Set-RegistryValue "$hiveRoot\Control Panel\Accessibility\Keyboard Response" 'Flags' '122' 'String'
            Set-RegistryValue "$hiveRoot\Control Panel\Accessibility\ToggleKeys" 'Flags' '58' 'String'
        } finally {
            if ($loadedHere) {
                [GC]::Collect()
                [GC]::WaitForPendingFinalizers()
                & reg.exe unload "HKU\$sid" | Out-Null
            }
        }
    } else {
        Write-Host "what if: the account's policies are written once its profile exists"
    }
}
# Machine-wide: no "Switch user" on the Ctrl+Alt+Del and sign-in screens (for every account).
Set-RegistryValue 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' 'HideFastUserSwitching' 1

Write-Host "done. Restart Windows: it signs in as $UserName and starts EPN Kiosk as the only program."
